import { lineOf, PSEUDOCODE } from '../model/pseudocode';
import { useLab } from '../store/store';

/** The algorithm the engine is running, with the line of the step being shown highlighted. */
export function Pseudocode() {
  const current = useLab((s) => (s.cursor > s.base ? s.history[s.cursor - 1 - s.base] : undefined));
  const inFlush = useLab((s) => s.view.memtable.flushing);
  const inCompaction = useLab((s) => s.view.compaction !== null && !s.view.compaction.done);
  const at = current ? lineOf(current, inFlush, inCompaction) : undefined;
  const section = PSEUDOCODE[at?.section ?? 'write']!;
  return (
    <section className="panel pseudocode" aria-labelledby="code-title">
      <h2 id="code-title">
        The code: <code>{section.title}</code>
      </h2>
      <ol className="code" data-testid="pseudocode">
        {section.lines.map((line) => (
          <li
            key={line.id}
            className={line.id === at?.line ? 'current' : ''}
            style={{ paddingLeft: `${0.5 + line.indent * 1.5}em` }}
            aria-current={line.id === at?.line ? 'step' : undefined}
          >
            <code>{line.text}</code>
          </li>
        ))}
      </ol>
    </section>
  );
}
