// How messages quote what the user wrote: a value can be megabytes long, a message stays short.

/** The most characters of a user's text a message quotes: room for a host name, an IPv6 address and port, a key. */
export const SHOWN_LENGTH = 80;

/** The longest message the engine hands out; a longer one is cut (a check that quoted a whole value). */
export const MAX_MESSAGE_LENGTH = 1000;

/** `text` as a message quotes it: whole when short, else its first SHOWN_LENGTH characters and "…". */
export function shown(text: string, max = SHOWN_LENGTH): string {
  if (text.length <= max) return text;
  // Never split a surrogate pair.
  const cut = text.charCodeAt(max - 1) >= 0xd800 && text.charCodeAt(max - 1) <= 0xdbff ? max - 1 : max;
  return `${text.slice(0, cut)}…`;
}

/**
 * A message of at most about MAX_MESSAGE_LENGTH characters: words longer than any of the
 * engine's own prose (a value quoted whole) are shortened first, then the end is cut.
 */
export function boundedMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_LENGTH) return message;
  const words = message.replace(/\S{200,}/g, (w) => shown(w));
  return words.length <= MAX_MESSAGE_LENGTH ? words : shown(words, MAX_MESSAGE_LENGTH);
}
