/** newsark's version; the hourly workflow that `newsark init` writes pins this release line. */
export const VERSION = "0.1.0";
