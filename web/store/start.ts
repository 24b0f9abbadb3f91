// What the page opens with, from its address: a class's join link, a teacher's class resumed, a shared scenario,
// a lesson, or the lab's own database. The app's entry (main.tsx) calls it once; nothing else imports it, so the
// class code it loads on demand never leads back here.

import { loadStudent, loadTeacher } from '../class/load';
import { classFromAddress } from '../class/room';
import { teachingSaved } from '../class/store';
import { lessonFromAddress } from '../layout/embed';
import { decodeScenario } from '../model/scenario';
import { connect } from './actions/connection';
import { openLesson } from './actions/lessons';
import { describeError, say } from './actions/say';
import { playScenario } from './actions/scenarios';

/**
 * At start: a class's join link (?class=…&relay=…) follows that class; a link with #scenario=… replays it; a link with ?lesson=<slug> opens that lesson on its own database;
 * otherwise the class's own database opens.
 */
export async function startFromLocation(): Promise<void> {
  // A join link: this tab follows the class, on a database of the class's own.
  const joining = classFromAddress(location.search);
  if (joining) {
    const { joinClass } = await loadStudent();
    await joinClass(joining.room, joining.relay);
    return;
  }
  // A teacher's tab reloaded mid-class goes back to its class.
  if (teachingSaved() && (await (await loadTeacher()).resumeClass())) return;
  const match = /#scenario=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (!match) {
    // The course is a chunk of its own, fetched only when the address names a lesson.
    const named = lessonFromAddress();
    const lesson = named ? (await import('../model/lessons')).lessonBySlug(named) : undefined;
    if (lesson) await openLesson(lesson.id);
    else await connect();
    return;
  }
  history.replaceState(null, '', location.pathname + location.search);
  try {
    await playScenario(decodeScenario(match[1]!));
  } catch (error) {
    await connect();
    say(describeError(error), 'error');
  }
}
