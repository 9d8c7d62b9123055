/**
 * Progress of a long command on stderr (stdout keeps the result, for scripts): one line rewritten in place
 * on a terminal when the percentage moves, else one line per tenth, so a log file gets ten lines, not ten
 * thousand; the complete count once, however often it is reported. `finishing` names what still runs once
 * the count is complete, since nothing moves on screen meanwhile.
 */
export const progressLine = (
  label: string,
  unit: string,
  finishing?: string,
): ((done: number, total: number) => void) => {
  const tty = process.stderr.isTTY;
  // The last percentage (terminal) or tenth (file, pipe) written.
  let shown = -1;
  let finished = false;
  return (done, total) => {
    if (finished) return;
    const pct = total === 0 ? 100 : Math.floor((100 * done) / total);
    const line = `${label} : ${pct} % (${done}/${total} ${unit})`;
    if (done >= total) {
      finished = true;
      process.stderr.write(`${tty ? '\r' : ''}${line}${finishing === undefined ? '' : ` ; ${finishing}`}\n`);
      return;
    }
    const mark = tty ? pct : Math.floor(pct / 10);
    if (mark <= shown) return;
    shown = mark;
    process.stderr.write(tty ? `\r${line}` : `${line}\n`);
  };
};
