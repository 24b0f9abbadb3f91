// The class code that talks to the relay, whichever role this tab has: teacher.ts or student.ts, loaded on first
// use (yjs and the relay's protocol stay out of the first load). Apart from store.ts, which they import.
export const loadTeacher = () => import('./teacher');
export const loadStudent = () => import('./student');
