/**
 * Hybrid logical clock (Kulkarni, Demirbas et al., "Logical Physical Clocks and Consistent Snapshots in
 * Globally Distributed Databases", 2014, Fig. 5). A timestamp is (l, c): l the largest physical time
 * seen (ms since the epoch), c a counter that orders events sharing the same l.
 *
 * Text form, sortable as a string: `LLLLLLLLLLLLLLL-CCCCC` — l in 15 decimal digits, c in 5, both
 * zero-padded (e.g. `001764417439123-00000`). When c would exceed 99999 (a burst of >100 000 events
 * inside one millisecond, or a wall clock stuck or far behind), l is advanced by one ms and c restarts
 * at 0: the clock stays strictly monotonic and its text form fixed-width, at the price of l running
 * slightly ahead of physical time, which the next real tick absorbs.
 */
export interface HlcTimestamp {
  readonly l: number;
  readonly c: number;
}

export const HLC_MAX_COUNTER = 99_999;
const HLC_PATTERN = /^(\d{15})-(\d{5})$/;

export const formatHlc = (t: HlcTimestamp): string =>
  `${String(t.l).padStart(15, '0')}-${String(t.c).padStart(5, '0')}`;

export const parseHlc = (text: string): HlcTimestamp | undefined => {
  const match = HLC_PATTERN.exec(text);
  if (match === null) return undefined;
  return { l: Number(match[1]), c: Number(match[2]) };
};

export const compareHlc = (a: HlcTimestamp, b: HlcTimestamp): number => (a.l !== b.l ? a.l - b.l : a.c - b.c);

const bounded = (l: number, c: number): HlcTimestamp => (c > HLC_MAX_COUNTER ? { l: l + 1, c: 0 } : { l, c });

/** A local or send event at physical time `pt` (Kulkarni Fig. 5, "send or local event"). */
export const tickHlc = (last: HlcTimestamp, pt: number): HlcTimestamp => {
  const physical = Math.floor(pt);
  if (physical > last.l) return { l: physical, c: 0 };
  return bounded(last.l, last.c + 1);
};

/** Receipt of a remote timestamp `remote` at physical time `pt` (Kulkarni Fig. 5, "receive event m"). */
export const receiveHlc = (last: HlcTimestamp, remote: HlcTimestamp, pt: number): HlcTimestamp => {
  const physical = Math.floor(pt);
  const l = Math.max(last.l, remote.l, physical);
  if (l === last.l && l === remote.l) return bounded(l, Math.max(last.c, remote.c) + 1);
  if (l === last.l) return bounded(l, last.c + 1);
  if (l === remote.l) return bounded(l, remote.c + 1);
  return { l, c: 0 };
};
