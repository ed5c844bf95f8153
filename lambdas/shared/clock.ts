/** Time as the services see it: ISO-8601 UTC strings, from a clock that tests replace. */
export type Clock = () => string;

export const systemClock: Clock = () => new Date().toISOString();
