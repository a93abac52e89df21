"""Writes the fixtures of the Java CLIP tokenizer and DDIM tests from KerasCV's own code.

    savedmodels/keras/.venv-sd/bin/python savedmodels/keras/make_clip_tokenizer_cases.py \
        [--out src-test/io/github/homl/stablediffusion/clip_tokenizer_cases.txt] [--n 1200]

One line per string: KerasCV's ids (SimpleTokenizer.encode, start and end tokens included, no
padding) separated by spaces, a tab, and the string as a JSON string literal (non-ASCII kept as is,
control characters escaped). The strings are hand-picked cases (empty, whitespace only, contractions,
HTML entities, the special tokens, numbers, Unicode of many scripts, emoji, prompts longer than 77
tokens) followed by random ones drawn with a fixed seed from the same kinds of pieces.

Beside it, ddim_cases.txt: the timesteps of generate_image for a few step counts ("timesteps N:
...") and KerasCV's _get_timestep_embedding at a few timesteps ("embedding T: 320 floats").
"""

import argparse
import json
import os
import random

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from keras_cv.src.models.stable_diffusion.clip_tokenizer import SimpleTokenizer  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

HAND = [
    "",
    " ",
    "\t\n \r\n",
    "a salamander reading a book",
    "A Salamander Reading A Book",
    "  a   salamander\treading\na book  ",
    "it's I'm we'll they've he'd don't can't won't",
    "IT'S I'M WE'LL THEY'VE HE'D DON'T",
    "rock'n'roll o'clock 'quoted' ''",
    "’smart’ “quotes” – dashes — and … ellipsis",
    "&amp; &lt;tag&gt; &quot;q&quot; &#39;s &#x27;t &#128512; &nbsp;x",
    "&amp;amp; &amp;lt; &notin; &notit; &ampx &AMP &#0; &#x110000; &#128; &#xD800;",
    "&copy2024 &frac12; &unknownentity; & alone &; &#; &#x;",
    "<|startoftext|>",
    "<|endoftext|>",
    "a <|startoftext|>b<|endoftext|> c <|STARTOFTEXT|>",
    "0 1 2 3 12345 3.14159 1,000,000 -42 +7 1e10 0x1F 2nd 3rd 21st",
    "١٢٣ ४५६ 七八九 Ⅻ ½ ² ①",
    "!!! ??? ... ,,, ;;; ::: --- ___ *** ### $$$ %%% ^^^ ~~~ ``` |||",
    "(parens) [brackets] {braces} <angles> /slashes\\ @at #hash",
    "café naïve résumé Ångström Æsir œuvre ß straße",
    "İstanbul ǅ ﬁ ﬀ Ω K Å",
    "Привет мир, Ελληνικά, עברית, العربية, हिन्दी, ไทย",
    "日本語のテキスト 中文文本 한국어 텍스트",
    "emoji 😀🐍🔥👍🏽 👨‍👩‍👧 🇫🇷 ❤️",
    "tab\tseparated\tvalues and\u00a0no-break\u2003em\u3000ideographic",
    "zero\u200bwidth\u200djoiner\ufeffbom",
    "control \x01\x02\x1f\x7f chars \x1c\x1d\x1e",
    "ＦＵＬＬＷＩＤＴＨ ｌｅｔｔｅｒｓ １２３",
    "mathematical 𝐛𝐨𝐥𝐝 𝔣𝔯𝔞𝔨𝔱𝔲𝔯",
    "supercalifragilisticexpialidocious pneumonoultramicroscopicsilicovolcanoconiosis",
    "a photograph of an astronaut riding a horse, highly detailed, 8k, trending on artstation",
    " ".join(["salamander"] * 75),
    " ".join(["salamander"] * 76),
    " ".join(["book"] * 120),
    "a " * 80,
    ",".join(str(i) for i in range(60)),
]

WORDS = (
    "a an the salamander reading book cat dog astronaut horse riding painting of in on at by "
    "with highly detailed photo portrait landscape oil watercolor cyberpunk city night sunset "
    "forest castle dragon robot wizard Van Gogh Monet Greg Rutkowski 4k 8k HDR unreal engine "
    "it's don't I'm we've they'll she'd you're THE Book READING"
).split()
PUNCT = list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + ["...", "--", "&amp;", "&lt;", "&#39;"]
SPACES = [" ", "  ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\r\n", " \x0b ", "\x0c"]
BLOCKS = [
    (0x00C0, 0x024F),  # Latin-1 supplement, extended A and B
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x04FF),  # Cyrillic
    (0x0590, 0x05FF),  # Hebrew
    (0x0600, 0x06FF),  # Arabic
    (0x0900, 0x097F),  # Devanagari
    (0x0E00, 0x0E7F),  # Thai
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x4E00, 0x4FFF),  # CJK
    (0xAC00, 0xAD00),  # Hangul
    (0x2000, 0x206F),  # general punctuation
    (0x2190, 0x22FF),  # arrows, math operators
    (0x1F300, 0x1F6FF),  # emoji
    (0x1D400, 0x1D4FF),  # mathematical letters
    (0xFF00, 0xFFEF),  # fullwidth
]


def random_piece(rng):
    kind = rng.random()
    if kind < 0.45:
        return rng.choice(WORDS)
    if kind < 0.6:
        return rng.choice(PUNCT)
    if kind < 0.7:
        return str(rng.choice([rng.randint(0, 9), rng.randint(0, 99999), rng.random() * 100]))
    lo, hi = rng.choice(BLOCKS)
    return "".join(chr(rng.randint(lo, hi)) for _ in range(rng.randint(1, 6)))


def random_string(rng):
    r = rng.random()
    n = rng.randint(0, 8) if r < 0.5 else rng.randint(0, 25) if r < 0.88 else rng.randint(30, 80)
    out = []
    for _ in range(n):
        out.append(random_piece(rng))
        out.append(rng.choice(SPACES) if rng.random() < 0.8 else "")
    return "".join(out)


def write_ddim_cases(path):
    import numpy as np
    from keras_cv.src.models.stable_diffusion.stable_diffusion import StableDiffusionBase

    lines = []
    for steps in (1, 2, 3, 25, 50, 100, 1000):
        # generate_image's own lines
        num_timesteps = 1000
        ratio = (num_timesteps - 1) / (num_steps - 1) if (num_steps := steps) > 1 else num_timesteps
        timesteps = (np.arange(0, num_steps) * ratio).round().astype(np.int64)
        lines.append(f"timesteps {steps}: " + " ".join(map(str, timesteps)) + "\n")
    for t in (0, 1, 20, 41, 500, 979, 999):
        e = np.asarray(StableDiffusionBase._get_timestep_embedding(None, t, 1))[0]
        lines.append(f"embedding {t}: " + " ".join(repr(float(x)) for x in e) + "\n")
    with open(path, "w") as f:
        f.writelines(lines)
    print(f"wrote {path}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--vocab", default=os.path.join(HERE, ".cache", "bpe_simple_vocab_16e6.txt.gz"))
    p.add_argument("--out", default="src-test/io/github/homl/stablediffusion/clip_tokenizer_cases.txt")
    p.add_argument("--n", type=int, default=1200, help="number of strings in all")
    p.add_argument("--seed", type=int, default=17)
    args = p.parse_args()
    tokenizer = SimpleTokenizer(bpe_path=args.vocab)
    rng = random.Random(args.seed)
    strings = list(HAND)
    while len(strings) < args.n:
        strings.append(random_string(rng))
    lines = []
    for s in strings:
        ids = tokenizer.encode(s)
        lines.append(" ".join(map(str, ids)) + "\t" + json.dumps(s, ensure_ascii=False) + "\n")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.writelines(lines)
    os.replace(tmp, args.out)
    longer = sum(1 for s in strings if len(tokenizer.encode(s)) > 77)
    print(f"wrote {args.out}: {len(strings)} strings, {longer} longer than 77 tokens")
    write_ddim_cases(os.path.join(os.path.dirname(args.out), "ddim_cases.txt"))


if __name__ == "__main__":
    main()
