"""Write the adversarial corpus of manifest lines for the lorries chapter, with the expected outcome of each line.

    python tests/make_lorries_corpus.py          # writes tests/corpus/lorries/{cases.jsonl,manifest.csv}

Each case is one cell as a customs analyst's file could hold it: blank and missing cells, bytes in several encodings,
other languages, container and packaging codes, PO/invoice references, weights with thousands separators, multi-item
lines and junk. `expect_read` is what `campus.lorries.embed.as_text` must say about the cell, `expect_tokens` the words
that must survive cleaning (the first item's, for a multi-item line), `expect_items` how many items the line holds.
Bytes are stored as hex (`input_hex`); a missing cell has `input: null`. `manifest.csv` holds the text cases as one
column, written so that pandas reads the blank ones as NaN.
"""
from __future__ import annotations
import csv, json
from pathlib import Path

OUT = Path(__file__).parent/"corpus"/"lorries"

#        kind            input (str | bytes | None)               read        tokens (of the assigned item)  items
CASES = [
    ("plain",          "20 PLTS FRZN CHIKEN PORTIONS",            "text",     ["frzn", "chiken", "portions"], 1),
    ("missing",        None,                                      "missing",  [],                             0),
    ("blank",          "",                                        "text",     [],                             0),
    ("blank",          "   ",                                     "text",     [],                             0),
    ("bytes",          "FROZEN FISH".encode(),                    "utf8",     ["frozen", "fish"],             1),
    ("bytes",          "KÄSE".encode("utf-8"),                    "utf8",     ["kase"],                       1),
    ("bytes",          "Möbel".encode("cp1252"),                  "fallback", ["mobel"],                      1),
    ("bytes",          "pièces détachées".encode("cp1252"),       "fallback", ["pieces", "detachees"],        1),
    ("bytes",          "\ufeffTYRES".encode("utf-8"),             "bom",      ["tyres"],                      1),
    ("bytes",          "\ufeffREIFEN".encode("utf-16-le"),        "bom",      ["reifen"],                     1),
    ("bytes",          b"\x81\x8d\x8f\x90",                       "rejected", [],                             0),
    ("bytes",          "TYRES".encode("utf-16-le"),               "rejected", [],                             0),
    ("language",       "KÄSE",                                    "text",     ["kase"],                       1),
    ("language",       "Möbel",                                   "text",     ["mobel"],                      1),
    ("language",       "pièces détachées",                        "text",     ["pieces", "detachees"],        1),
    ("language",       "MROŻONE RYBY",                            "text",     ["mrozone", "ryby"],            1),
    ("language",       "ŁOŻYSKA KULKOWE",                         "text",     ["lozyska", "kulkowe"],         1),
    ("language",       "Straßenbahn Ersatzteile",                 "text",     ["strassenbahn", "ersatzteile"], 1),
    ("language",       "ＦＲＯＺＥＮ ＦＩＳＨ",                      "text",     ["frozen", "fish"],             1),
    ("language",       "ЗАПЧАСТИ",                                "text",     ["запчасти"],                   1),
    ("codes",          "1x40HC TYRES",                            "text",     ["tyres"],                      1),
    ("codes",          "20GP WINE IN BOTTLES",                    "text",     ["wine", "bottles"],            1),
    ("codes",          "2 X 40HQ STEEL COILS",                    "text",     ["steel", "coils"],             1),
    ("codes",          "40' HC FROZEN MEAT",                      "text",     ["frozen", "meat"],             1),
    ("codes",          "20 FT CONTAINER MACHINERY PARTS",         "text",     ["machinery", "parts"],         1),
    ("codes",          "33 COLLI FURNITURE",                      "text",     ["furniture"],                  1),
    ("codes",          "26 PLTS PAPER",                           "text",     ["paper"],                      1),
    ("codes",          "1x40HC",                                  "text",     [],                             0),
    ("reference",      "PO#4500123 BRAKE PADS",                   "text",     ["brake", "pads"],              1),
    ("reference",      "PO 4500123 BRAKE PADS",                   "text",     ["brake", "pads"],              1),
    ("reference",      "INV-2023-0042 TOYS",                      "text",     ["toys"],                       1),
    ("reference",      "REF: AB12345 SHOES",                      "text",     ["shoes"],                      1),
    ("weight",         "STEEL BARS 12,500 KGS",                   "text",     ["steel", "bars"],              1),
    ("weight",         "12.500,00 KG COFFEE",                     "text",     ["coffee"],                     1),
    ("weight",         "GW 1,250.5KGS NW 1,200KGS RICE",          "text",     ["rice"],                       1),
    ("multi",          "TYRES AND WHEEL RIMS, BRAKE PADS",        "text",     ["tyres"],                      3),
    ("multi",          "FROZEN FISH & CHIPS",                     "text",     ["frozen", "fish"],             2),
    ("multi",          "KÄSE UND BUTTER",                         "text",     ["kase"],                       2),
    ("multi",          "TABLES; CHAIRS",                          "text",     ["tables"],                     2),
    ("multi",          "20 PLTS, FROZEN FISH",                    "text",     ["frozen", "fish"],             1),
    ("junk",           "1200KG",                                  "text",     [],                             0),
    ("junk",           "-",                                       "text",     [],                             0),
    ("junk",           "???",                                     "text",     [],                             0),
    ("junk",           "SEE ATTACHED",                            "text",     [],                             0),
    ("junk",           "AS PER INVOICE",                          "text",     [],                             0),
    ("junk",           "said to contain",                         "text",     [],                             0),
    ("junk",           "nan",                                     "missing",  [],                             0),   # what str(NaN) wrote upstream
    ("control",        "TYRES\x00\x00",                           "rejected", [],                             0),
    ("number",         4711,                                      "number",   [],                             0),
    ("number",         float("nan"),                              "missing",  [],                             0),
]

def main(out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with open(out/"cases.jsonl", "w", encoding="utf-8") as f:
        for i, (kind, x, read, tokens, items) in enumerate(CASES):
            rec = {"id": i, "kind": kind, "expect_read": read, "expect_tokens": tokens, "expect_items": items}
            if isinstance(x, bytes): rec["input_hex"] = x.hex()
            elif isinstance(x, float): rec["input_float"] = "nan"
            else: rec["input"] = x
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    with open(out/"manifest.csv", "w", encoding="utf-8", newline="") as f:       # text cells only, as a spreadsheet exports them
        w = csv.writer(f); w.writerow(["id", "description"])
        for i, (kind, x, read, tokens, items) in enumerate(CASES):
            if x is None or isinstance(x, str) and not x.strip(): w.writerow([i, ""])
            elif isinstance(x, str) and read == "text": w.writerow([i, x])

if __name__ == "__main__":
    main()
