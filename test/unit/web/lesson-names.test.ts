// A lesson that sends a class to "the X panel" must name a panel the rail has, and "the Y section of" it a heading
// that panel shows (issue 20, item 17: lesson 5 named an "Amplification panel" that no rail button opens).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { t } from '../../../web/i18n';
import { DOCK_PANELS } from '../../../web/layout/dock';
import { LESSONS } from '../../../web/model/lessons';

// The steps' texts, and the source of the explanations, which are written from the events when a reveal comes.
const texts =
  JSON.stringify(LESSONS) +
  ['lesson', 'explain', 'writes', 'disk', 'reads', 'compaction', 'failure']
    .map((f) => readFileSync(`web/model/lessons/${f}.ts`, 'utf8'))
    .join('');
const rail = DOCK_PANELS.map((panel) => panel.label());

describe('the lessons name what is on the screen', () => {
  it('every panel they name is a button of the rail', () => {
    const named = [...texts.matchAll(/\b([A-Z][a-z]+(?: [a-z]+)?) panel\b/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(0);
    for (const name of named) expect(rail, `"${name} panel"`).toContain(name);
  });

  it('every section they name is a heading of the panel named with it', () => {
    const sections = [...texts.matchAll(/\b([A-Z][a-z]+) section of the ([A-Z][a-z]+) panel\b/g)];
    expect(sections.length).toBeGreaterThan(0);
    const headings: Record<string, string> = { Workload: 'web/components/MetricsPanel.tsx' };
    for (const [, section, panel] of sections) {
      // The heading is a message (`<h2 …>{t('metrics.title')}</h2>`): its English words are the ones the lesson names.
      const source = readFileSync(headings[panel!] ?? '', 'utf8');
      const heading = [...source.matchAll(/<h2[^>]*>\{t\('([\w.]+)'\)\}<\/h2>/g)].map((m) => t(`ui:${m[1]}`));
      expect(heading, `the ${panel} panel has a heading "${section}"`).toContain(section);
    }
  });
});
