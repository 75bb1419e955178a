"""Adversarial corpus for the urban-forest image readers and `score_folder`: small files a user's folder of street images may hold.

`make_corpus(folder)` writes every case into `folder` (which must be empty or absent) and returns the expected outcome of each
entry: `status` ("scored" or "skipped"), `reason` (the skip category `score_folder` must give) and, for some scored images, the
Pillow mode the file must report. Run as a script to write the corpus and `expected.csv` into a folder:

    python tests/make_urban_forest_corpus.py /tmp/uf_corpus

Everything is generated with Pillow and numpy (PNG headers for the 48-bit and oversized cases are written by hand), so the corpus
needs no downloads and is rebuilt identically by the tests.
"""
from __future__ import annotations
import io, os, struct, sys, zlib
from pathlib import Path
import numpy as np
from PIL import Image

H, W = 24, 32

def scene(h: int = H, w: int = W) -> np.ndarray:
    "A tiny street-like RGB scene: sky on top, a green (vegetation) band, grey road below."
    a = np.zeros((h, w, 3), np.uint8)
    a[: h // 3] = (135, 180, 235); a[h // 3: 2 * h // 3] = (70, 110, 40); a[2 * h // 3:] = (110, 110, 110)
    return a

def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

def png_bytes(width: int, height: int, bit_depth: int, colour_type: int, raw: bytes) -> bytes:
    "A PNG written by hand (so 48-bit RGB and impossible headers can be made): `raw` is the filtered scanline data."
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", zlib.compress(raw)) + _png_chunk(b"IEND", b"")

def _jpeg(a: np.ndarray, **kw) -> bytes:
    b = io.BytesIO(); Image.fromarray(a).save(b, "JPEG", quality=90, **kw); return b.getvalue()

def make_corpus(folder) -> dict[str, dict]:
    "Write the corpus into `folder`; return {entry name: {'status', 'reason', 'mode'}} (mode: the file's Pillow mode, for scored images)."
    d = Path(folder); d.mkdir(parents=True, exist_ok=True)
    if any(d.iterdir()): raise ValueError(f"{d.name}: the corpus folder must be empty")
    rgb = scene(); exp = {}
    def ok(name, mode): exp[name] = {"status": "scored", "reason": "", "mode": mode}
    def bad(name, reason): exp[name] = {"status": "skipped", "reason": reason, "mode": ""}
    # --- images that must be scored, in every mode and format Pillow reads -------------------------------------------------
    (d/"rgb.jpg").write_bytes(_jpeg(rgb)); ok("rgb.jpg", "RGB")
    (d/"UPPER_CASE.JPEG").write_bytes(_jpeg(rgb)); ok("UPPER_CASE.JPEG", "RGB")
    (d/"no_extension").write_bytes(_jpeg(rgb)); ok("no_extension", "RGB")
    Image.fromarray(rgb).save(d/"png_named.jpg", "PNG"); ok("png_named.jpg", "RGB")          # the content decides, not the name
    Image.fromarray(rgb).convert("L").save(d/"grey.png"); ok("grey.png", "L")
    Image.fromarray(rgb).convert("1").save(d/"bilevel.png"); ok("bilevel.png", "1")
    # 16-bit greyscale, dark (about 3% of full scale): a plain convert("RGB") clips it to white
    Image.fromarray(np.full((H, W), 2000, np.uint16)).save(d/"grey16_dark.png"); ok("grey16_dark.png", "I;16")
    Image.fromarray(np.full((H, W), 40000, np.uint16)).save(d/"grey16.tif"); ok("grey16.tif", "I;16")
    # 16 bits per channel RGB (48-bit PNG), green band at 70/110/40 * 257
    rgb48 = (rgb.astype(">u2") * 257)
    (d/"rgb48.png").write_bytes(png_bytes(W, H, 16, 2, b"".join(b"\x00" + row.tobytes() for row in rgb48))); ok("rgb48.png", "RGB")
    rgba = np.dstack([rgb, np.where(np.arange(W) < W // 2, 0, 255).astype(np.uint8)[None].repeat(H, 0)])
    Image.fromarray(rgba, "RGBA").save(d/"rgba_half_transparent.png"); ok("rgba_half_transparent.png", "RGBA")
    Image.fromarray(rgb).convert("LA").save(d/"grey_alpha.png"); ok("grey_alpha.png", "LA")
    Image.fromarray(rgb).convert("P", palette=Image.ADAPTIVE, colors=8).save(d/"palette.gif"); ok("palette.gif", "P")
    Image.fromarray(rgb).convert("P", palette=Image.ADAPTIVE, colors=8).save(d/"palette_transparent.png", transparency=0)
    ok("palette_transparent.png", "P")
    Image.fromarray(rgb).convert("CMYK").save(d/"cmyk.jpg", quality=90); ok("cmyk.jpg", "CMYK")
    Image.fromarray(rgb).convert("CMYK").save(d/"cmyk.tif"); ok("cmyk.tif", "CMYK")
    Image.fromarray(rgb).save(d/"photo.tif"); ok("photo.tif", "RGB")
    Image.fromarray(rgb).save(d/"photo.webp", lossless=True); ok("photo.webp", "RGB")
    Image.fromarray(rgb).save(d/"photo.bmp"); ok("photo.bmp", "RGB")
    frames = [Image.fromarray(rgb), Image.fromarray(255 - rgb)]
    frames[0].save(d/"animated.gif", save_all=True, append_images=frames[1:], duration=100); ok("animated.gif", "P")
    ex = Image.Exif(); ex[0x0112] = 6                                                         # "rotate 90° clockwise to display"
    (d/"exif_rotated.jpg").write_bytes(_jpeg(rgb, exif=ex.tobytes())); ok("exif_rotated.jpg", "RGB")
    Image.fromarray(np.full((H, W), 30000, np.int32), "I").save(d/"int32_in_range.tif"); ok("int32_in_range.tif", "I")
    Image.fromarray(rgb[:1, :1]).save(d/"one_pixel.png"); ok("one_pixel.png", "RGB")
    Image.fromarray(np.tile(rgb, (1, 12, 1))[:4]).save(d/"thin_panorama.png"); ok("thin_panorama.png", "RGB")
    # --- entries that must be skipped, each with its reason ---------------------------------------------------------------
    full = _jpeg(scene(96, 128))
    (d/"truncated.jpg").write_bytes(full[: len(full) // 2]); bad("truncated.jpg", "truncated")
    (d/"header_only.jpg").write_bytes(full[:40]); bad("header_only.jpg", "truncated")
    broken = bytearray(full); i = broken.index(b"\xff\xc4"); broken[i + 4: i + 30] = b"\xff" * 26       # a bogus Huffman table
    (d/"corrupt_huffman.jpg").write_bytes(bytes(broken)); bad("corrupt_huffman.jpg", "corrupt")
    broken = bytearray(full); i = broken.index(b"\xff\xc0"); broken[i + 5: i + 9] = b"\x00\x00\x00\x00"   # SOF: 0 x 0 pixels
    (d/"zero_size_header.jpg").write_bytes(bytes(broken)); bad("zero_size_header.jpg", "not an image")
    pb = io.BytesIO(); Image.fromarray(scene(96, 128)).save(pb, "PNG"); pb = pb.getvalue()
    (d/"truncated.png").write_bytes(pb[: len(pb) // 2]); bad("truncated.png", "truncated")
    (d/"empty.jpg").write_bytes(b""); bad("empty.jpg", "empty")
    (d/"text_named.jpg").write_text("this is not an image\n"); bad("text_named.jpg", "not an image")
    (d/"webpage.jpg").write_text("<html><body>404 Not Found</body></html>\n"); bad("webpage.jpg", "not an image")
    (d/"notes.txt").write_text("frames from the 2023 survey\n"); bad("notes.txt", "not an image")
    (d/"folder.jpg").mkdir(); (d/"folder.jpg"/"inside.jpg").write_bytes(_jpeg(rgb)); bad("folder.jpg", "folder")
    (d/".hidden.jpg").write_bytes(_jpeg(rgb)); bad(".hidden.jpg", "hidden")
    os.symlink(d/"does_not_exist.jpg", d/"broken_link.jpg"); bad("broken_link.jpg", "broken link")
    Image.fromarray(np.full((H, W), 0.5, np.float32)).save(d/"float.tif"); bad("float.tif", "unsupported mode")
    Image.fromarray(np.full((H, W), 100000, np.int32), "I").save(d/"int32_out_of_range.tif"); bad("int32_out_of_range.tif", "unsupported mode")
    (d/"huge_header.png").write_bytes(png_bytes(100_000, 100_000, 8, 2, b"\x00" * 10)); bad("huge_header.png", "too large")
    return exp

if __name__ == "__main__":
    if len(sys.argv) != 2: sys.exit(__doc__)
    import csv
    out = Path(sys.argv[1]); e = make_corpus(out)
    with open(out.parent/f"{out.name}_expected.csv", "w", newline="") as f:
        w = csv.writer(f); w.writerow(["entry", "status", "reason", "mode"])
        for k in sorted(e): w.writerow([k, e[k]["status"], e[k]["reason"], e[k]["mode"]])
    print(f"{len(e)} entries written; expected outcomes in {out.name}_expected.csv beside the folder")
