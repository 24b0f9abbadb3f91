// The `fields` namespace (what each byte of a file is, in the hex view): not in the initial JS, since only the hex
// view and the field lists say it. Each module of web/model/fields that does imports this one first, so that its
// chunk is evaluated only once the messages are here: English from this chunk, the chosen language's from the
// backend, as ./model.ts does for `model`.
import { loadNamespace } from '.';
import enFields from './locales/en/fields.json' with { type: 'json' };

await loadNamespace('fields', enFields);
