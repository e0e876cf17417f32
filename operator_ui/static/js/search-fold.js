// Search that does not care about the script: Russian and Kazakh in Cyrillic or typed in Latin
// ("voda" finds "вода", "shunkyr" finds "шұңқыр", "qoğam" finds "қоғам"). Both sides are folded
// to the same lossy skeleton (the one nlp/translit.py uses to match Latin words to the lexicons).

const CYRILLIC = {
  а: "a", ә: "a", б: "b", в: "v", г: "g", ғ: "g", д: "d", е: "e", ё: "e", э: "e", ж: "j", з: "z", и: "i", і: "i", ы: "i",
  й: "i", к: "k", қ: "k", л: "l", м: "m", н: "n", ң: "n", о: "o", ө: "o", п: "p", р: "r", с: "s", т: "t", у: "u", ұ: "u",
  ү: "u", ф: "f", х: "h", һ: "h", ц: "c", ч: "4", ш: "6", щ: "6", ъ: "", ь: "", ю: "iu", я: "ia",
};
// Latin spellings, longest first ("4" stands for ч, "6" for ш, as no Latin letter does).
const LATIN = [
  ["shch", "6"], ["sch", "6"], ["sh", "6"], ["ch", "4"], ["zh", "j"], ["kh", "h"], ["gh", "g"], ["ts", "c"],
  ["ş", "6"], ["ç", "4"], ["ä", "a"], ["ö", "o"], ["ü", "u"], ["ū", "u"], ["ı", "i"], ["ğ", "g"], ["ñ", "n"],
  ["x", "h"], ["w", "v"], ["q", "k"], ["y", "i"], ["'", ""], ["’", ""],
];

/** The script-blind skeleton of a text (lower case, Cyrillic and Latin spellings alike). */
export function skeleton(text) {
  const s = String(text || "").toLocaleLowerCase("ru");
  let out = "";
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (ch in CYRILLIC) {
      out += CYRILLIC[ch];
      i += 1;
      continue;
    }
    const piece = LATIN.find(([from]) => s.startsWith(from, i));
    if (piece) {
      out += piece[1];
      i += piece[0].length;
    } else {
      out += ch;
      i += 1;
    }
  }
  return out.replace(/([a-z])\1+/g, "$1");
}

/** The query as skeleton words; a longer word loses its last vowel, so "voda" also finds "воды". */
export function queryWords(query) {
  return String(query || "").trim().split(/\s+/).filter(Boolean).map((w) => {
    const k = skeleton(w);
    return k.length >= 4 ? k.replace(/[aeiou]$/, "") : k;
  }).filter(Boolean);
}

/** Whether every query word is in the haystack's skeleton. */
export function matchesQuery(haystackSkeleton, words) {
  return words.every((w) => haystackSkeleton.includes(w));
}
