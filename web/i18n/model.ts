// The `model` namespace (narration, explanations, pseudocode): not in the initial JS, since nothing on the first
// frame says it. Each module that does (model/narrate.ts, model/pseudocode.ts, model/lessons/explain.ts) imports
// this one first, so that its chunk is evaluated only once the messages are here: English from this chunk, the
// chosen language's from the backend, as the other namespaces load. No sentence is ever read before them.
import { loadNamespace } from '.';
import enModel from './locales/en/model.json' with { type: 'json' };

await loadNamespace('model', enModel);
