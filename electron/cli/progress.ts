/**
 * Progress of a long command on stderr (stdout keeps the result, for scripts): one line rewritten in place
 * on a terminal, else one line per tenth, so a log file gets ten lines, not ten thousand. `finishing` names
 * what still runs once the count is complete, since nothing moves on screen meanwhile.
 */
export const progressLine = (
  label: string,
  unit: string,
  finishing?: string,
): ((done: number, total: number) => void) => {
  const tty = process.stderr.isTTY;
  let shownTenth = -1;
  return (done, total) => {
    const pct = total === 0 ? 100 : Math.floor((100 * done) / total);
    const line = `${label} : ${pct} % (${done}/${total} ${unit})`;
    if (done >= total) {
      process.stderr.write(`${tty ? '\r' : ''}${line}${finishing === undefined ? '' : ` ; ${finishing}`}\n`);
      return;
    }
    if (tty) process.stderr.write(`\r${line}`);
    else if (Math.floor(pct / 10) > shownTenth) {
      shownTenth = Math.floor(pct / 10);
      process.stderr.write(`${line}\n`);
    }
  };
};
