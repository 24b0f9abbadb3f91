// Motion's features (animations, gestures, layout projection), loaded after the first frame: the components use
// motion's slim `m` elements inside the LazyMotion that main.tsx wraps the app in, so none of this weighs on the initial JS. The first frame
// animates nothing (every AnimatePresence starts with initial={false}); by the first step the features are here.
export { domMax as default } from 'motion/react';
