// Which column of a file holds which field, when files from elsewhere name their columns their own
// way (a register template's 身份证号码 for 公民身份证号码, an OA's 登录名 for loginid, a truth's
// source_record_id for id). Shared by the member-system sheet, the OA directory and the truth file.

/** A header as compared: without case, whitespace, '_' or '-'. */
export function squashHeader(h: string): string {
  return h.toLowerCase().replace(/[\s_-]/gu, '');
}

/**
 * Field → index in `header` of the first cell bearing one of its names. A field's names are tried
 * in order, so its own name wins over an alias wherever the file has both; a name repeated keeps
 * its first column. Fields the header lacks are absent from the map.
 */
export function columnsByName<F extends string>(header: readonly string[], names: Readonly<Record<F, readonly string[]>>): Map<F, number> {
  const at = new Map<string, number>();
  header.forEach((h, i) => {
    const k = squashHeader(h);
    if (k !== '' && !at.has(k)) at.set(k, i);
  });
  const out = new Map<F, number>();
  for (const f of Object.keys(names) as F[]) {
    const i = names[f].map((n) => at.get(squashHeader(n))).find((x) => x !== undefined);
    if (i !== undefined) out.set(f, i);
  }
  return out;
}
