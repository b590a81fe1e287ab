// The `format` parameter: `exact` as stored, `ids` only identifiers, `canonical` one language per
// language map (the one the request's Accept-Language prefers, else the first the LRS holds).
import type { XapiStatement } from '../../population/index.ts';
import type { Format } from './statements-query.ts';

function pickLanguage(map: Record<string, string>, preferred: readonly string[]): Record<string, string> {
  const lang = preferred.find((l) => l in map) ?? Object.keys(map)[0];
  return lang === undefined ? {} : { [lang]: map[lang]! };
}

export function preferredLanguages(acceptLanguage: string | undefined): string[] {
  return (acceptLanguage ?? '').split(',').map((part) => part.split(';')[0]!.trim()).filter(Boolean);
}

export function formatStatement(s: XapiStatement, format: Format, languages: readonly string[]): unknown {
  if (format === 'exact') return s;
  if (format === 'ids') {
    return {
      ...s,
      actor: { objectType: 'Agent', account: s.actor.account },
      verb: { id: s.verb.id },
      object: { objectType: 'Activity', id: s.object.id },
    };
  }
  return {
    ...s,
    verb: { id: s.verb.id, display: pickLanguage(s.verb.display, languages) },
    object: { ...s.object, definition: { ...s.object.definition, name: pickLanguage(s.object.definition.name, languages) } },
  };
}
