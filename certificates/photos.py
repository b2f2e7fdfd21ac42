"""Synthetic ID-style photos for the demo, the tests and the benchmark (no real person's picture)."""

import io
import random


def synthetic_photo(seed=0, *, size=(264, 352), quality=80):
    """A JPEG portrait silhouette on a plain background, 264×352 px (33×44 mm at ~200 dpi)."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    width, height = size
    background = rng.choice([(67, 142, 219), (214, 40, 40), (235, 235, 235)])
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    skin = (rng.randint(200, 240), rng.randint(170, 200), rng.randint(140, 170))
    shirt = rng.choice([(30, 30, 40), (250, 250, 250), (40, 60, 110)])
    draw.ellipse([width * 0.12, height * 0.68, width * 0.88, height * 1.25], fill=shirt)
    draw.rectangle([width * 0.42, height * 0.52, width * 0.58, height * 0.72], fill=skin)
    draw.ellipse([width * 0.28, height * 0.18, width * 0.72, height * 0.62], fill=skin)
    draw.ellipse([width * 0.26, height * 0.12, width * 0.74, height * 0.36], fill=(25, 20, 20))
    image = image.filter(ImageFilter.GaussianBlur(1))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()
