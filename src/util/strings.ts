/**
 * The same text in a string of its own. V8 keeps a substring of a long string as a slice that holds
 * the whole parent alive: a title cut from an article file or a feed, kept for the rest of a run or
 * build, would keep all of that file's or feed's text in memory with it. The copy holds only its
 * own characters, so what is kept per article is the size of what is used.
 *
 * @example
 * const title = detached(fileText.slice(1, end)); // fileText can be collected
 */
export function detached(text: string): string {
  // Concatenating then slicing makes V8 flatten into a new string; the result shares nothing with
  // `text`'s parent. Lossless for any string (lone surrogates included), unlike a UTF-8 round trip.
  return ` ${text}`.slice(1);
}
