// ISO 8601 durations as xAPI result.duration carries them (PT1H30M, PT45M12.5S, P1DT2H).
// Years and months have no fixed length, so a duration using them cannot become minutes.
const DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Seconds in the duration, or undefined when it is not a fixed-length ISO 8601 duration. */
export function durationSeconds(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [w, d, h, min, s] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  return (w ?? 0) * 604_800 + (d ?? 0) * 86_400 + (h ?? 0) * 3_600 + (min ?? 0) * 60 + (s ?? 0);
}

/** Minutes to the hundredth: sub-second precision in a study record is clock noise. */
export function durationMinutes(text: string): number | undefined {
  const seconds = durationSeconds(text);
  return seconds === undefined ? undefined : Math.round((seconds / 60) * 100) / 100;
}
