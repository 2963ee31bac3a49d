"""Draw Koroena's app icons (run once; the PNGs are committed).

A wheel (roda) of eight spokes around a "K" on the theme green. The maskable icon keeps
the mark inside the central 80% safe zone and fills the whole square.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

GREEN = (11, 110, 79, 255)
WHITE = (255, 255, 255, 255)
GOLD = (242, 183, 5, 255)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def draw_mark(draw: ImageDraw.ImageDraw, size: int, center: float, radius: float) -> None:
    width = max(2, int(radius * 0.09))
    draw.ellipse(
        [center - radius, center - radius, center + radius, center + radius],
        outline=GOLD,
        width=width,
    )
    for i in range(8):
        angle = math.pi / 8 + i * math.pi / 4
        inner, outer = radius * 0.62, radius * 0.95
        draw.line(
            [
                (center + inner * math.cos(angle), center + inner * math.sin(angle)),
                (center + outer * math.cos(angle), center + outer * math.sin(angle)),
            ],
            fill=GOLD,
            width=max(1, width // 2),
        )
    font = ImageFont.truetype(FONT, int(radius * 1.0))
    draw.text((center, center), "K", font=font, fill=WHITE, anchor="mm")


def icon(size: int, maskable: bool) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle([0, 0, size, size], fill=GREEN)
        draw_mark(draw, size, size / 2, size * 0.30)
    else:
        draw.rounded_rectangle([0, 0, size - 1, size - 1], radius=size * 0.2, fill=GREEN)
        draw_mark(draw, size, size / 2, size * 0.40)
    return image


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    icon(192, False).save(out / "icon-192.png", optimize=True)
    icon(512, False).save(out / "icon-512.png", optimize=True)
    icon(512, True).save(out / "icon-maskable-512.png", optimize=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("frontend/static/icons"))
