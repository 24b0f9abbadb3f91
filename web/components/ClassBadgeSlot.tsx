import { useClass } from '../class/store';
import { lazyPart } from '../layout/lazy-part';

// The badge and the class code it calls are a chunk of their own (layout/lazy-part.tsx): a tab is in a class only
// once a class has started or a join link has opened (the role is never kept across visits), so the first frame
// never shows it, and the chunk is fetched when the browser is idle after it.
const Badge = lazyPart(() => import('./ClassBadge'), 'ClassBadge');

/** ClassBadge, in a class only. */
export function ClassBadgeSlot({ where }: { where: 'toolbar' | 'player' }) {
  const inClass = useClass((s) => s.role !== null);
  return inClass ? <Badge where={where} /> : null;
}
