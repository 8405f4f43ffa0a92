/**
 * Turn timestamps show the time of day, and the date too where the day changes: on the first
 * turn with a time, and on each turn whose day differs from the previous timed turn's. The day
 * depends on the time zone, so the server decides in UTC and the page again in the reader's zone.
 * Pure: imported by the server's renderer and by the page's enhancer.
 */

/** For each turn's day (null: no time), whether its date is shown. */
export function showsDate(days: readonly (string | null)[]): boolean[] {
  let previous: string | null = null;
  return days.map((day) => {
    if (day === null) return false;
    const changed = day !== previous;
    previous = day;
    return changed;
  });
}

/** The calendar day of `date` in UTC. */
export const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/** The calendar day of `date` in the runtime's own time zone (the reader's, in a browser). */
export const localDay = (date: Date) => `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
