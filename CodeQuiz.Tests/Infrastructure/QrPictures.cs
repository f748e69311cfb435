using System.Buffers.Binary;
using System.IO.Compression;
using ZXing;
using ZXing.Common;
using ZXing.Multi.QrCode;
using ZXing.QrCode;

namespace CodeQuiz.Tests.Infrastructure;

/// <summary>
/// Reads the QR code in a PNG — a browser screenshot of what the page shows, or a downloaded QR image — the way
/// a phone camera would (ZXing on the picture's luminance), so the test checks what would actually be scanned.
/// </summary>
static class QrPictures
{
    /// <summary>White margin added around the picture: a QR needs a quiet zone, a tight screenshot may not have one.</summary>
    const int Margin = 24;

    /// <remarks>
    /// A phone reads a code from frame after frame as it moves, at many distances. So when ZXing cannot read the picture
    /// at its own size, smaller versions of it are tried. About one code in 130 needs that: ZXing's QR detector misses
    /// them at print size although they are valid (zbar reads each of them at every size).
    /// </remarks>
    public static string Read(byte[] png)
    {
        var (gray, width, height) = Luminance(png);
        foreach (var factor in new[] { 1, 2, 3, 4, 6, 8, 12 })
        {
            if (width / factor < 21 || height / factor < 21) break; // the smallest QR code is 21 modules wide
            var (small, w, h) = Shrink(gray, width, height, factor);
            if (Decode(small, w, h) is { } text) return text;
        }
        throw new InvalidOperationException($"No QR code could be read from a {width}×{height} picture.");
    }

    /// <summary>
    /// Every QR code in a picture of several, such as a printed page, as it lies there: no margin is added, so a code
    /// without its own quiet zone is not read. The points are the centres of the finder patterns, in pixels.
    /// </summary>
    public static IReadOnlyList<(string Text, ResultPoint[] Points)> ReadAll(byte[] png)
    {
        var (gray, width, height) = Luminance(png);
        var source = new RGBLuminanceSource(gray, width, height, RGBLuminanceSource.BitmapFormat.Gray8);
        var results = new QRCodeMultiReader().decodeMultiple(new BinaryBitmap(new HybridBinarizer(source)),
            new Dictionary<DecodeHintType, object> { [DecodeHintType.TRY_HARDER] = true }) ?? [];
        return [.. results.Select(r => (r.Text, r.ResultPoints))];
    }

    static string? Decode(byte[] gray, int width, int height)
    {
        var paddedWidth = width + 2 * Margin;
        var padded = new byte[paddedWidth * (height + 2 * Margin)];
        Array.Fill(padded, (byte)255);
        for (var y = 0; y < height; y++)
            Array.Copy(gray, y * width, padded, (y + Margin) * paddedWidth + Margin, width);
        var source = new RGBLuminanceSource(padded, paddedWidth, height + 2 * Margin, RGBLuminanceSource.BitmapFormat.Gray8);
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)),
            new Dictionary<DecodeHintType, object> { [DecodeHintType.TRY_HARDER] = true })?.Text;
    }

    /// <summary>The picture seen from further away: each square of factor × factor pixels becomes their average.</summary>
    static (byte[] Gray, int Width, int Height) Shrink(byte[] gray, int width, int height, int factor)
    {
        if (factor == 1) return (gray, width, height);
        int w = width / factor, h = height / factor;
        var small = new byte[w * h];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var sum = 0;
                for (var dy = 0; dy < factor; dy++)
                    for (var dx = 0; dx < factor; dx++)
                        sum += gray[(y * factor + dy) * width + x * factor + dx];
                small[y * w + x] = (byte)(sum / (factor * factor));
            }
        return (small, w, h);
    }

    /// <summary>
    /// A PNG's pixels as grey levels: every colour type, bit depths 1–8, no interlace (what Chromium and QRCoder
    /// write). Transparent pixels count as the paper under them: white unless <paramref name="paper"/> says otherwise.
    /// </summary>
    public static (byte[] Gray, int Width, int Height) Luminance(byte[] png, byte paper = 255)
    {
        if (png.Length < 8 || BinaryPrimitives.ReadUInt64BigEndian(png) != 0x89504E470D0A1A0A)
            throw new InvalidDataException("Not a PNG file.");
        int position = 8, width = 0, height = 0, bitDepth = 0, colorType = 0, interlace = 0;
        byte[] palette = [], paletteAlpha = [];
        using var idat = new MemoryStream();
        while (position + 8 <= png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(position));
            var type = System.Text.Encoding.ASCII.GetString(png, position + 4, 4);
            var data = png.AsSpan(position + 8, length);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    (bitDepth, colorType, interlace) = (data[8], data[9], data[12]);
                    break;
                case "PLTE": palette = data.ToArray(); break;
                case "tRNS": paletteAlpha = data.ToArray(); break;
                case "IDAT": idat.Write(data); break;
            }
            position += 12 + length;
        }
        if (bitDepth > 8 || interlace != 0)
            throw new NotSupportedException($"PNG with {bitDepth}-bit samples or interlacing");

        var channels = colorType switch { 0 or 3 => 1, 4 => 2, 2 => 3, 6 => 4, _ => throw new InvalidDataException($"PNG colour type {colorType}") };
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
            zlib.CopyTo(inflated);
        var raw = inflated.GetBuffer();
        var bitsPerPixel = channels * bitDepth;
        var stride = (width * bitsPerPixel + 7) / 8;
        var bpp = Math.Max(1, bitsPerPixel / 8);
        var previous = new byte[stride];
        var row = new byte[stride];
        var gray = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            var start = y * (stride + 1);
            var filter = raw[start];
            raw.AsSpan(start + 1, stride).CopyTo(row);
            for (var i = 0; i < stride; i++)
            {
                int a = i >= bpp ? row[i - bpp] : 0, b = previous[i], c = i >= bpp ? previous[i - bpp] : 0;
                row[i] = (byte)(row[i] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"PNG filter {filter}"),
                });
            }
            for (var x = 0; x < width; x++)
                gray[y * width + x] = Pixel(row, x);
            (previous, row) = (row, previous);
        }
        return (gray, width, height);

        byte Pixel(byte[] line, int x)
        {
            if (bitDepth < 8)
            {
                var perByte = 8 / bitDepth;
                var value = (line[x / perByte] >> (8 - bitDepth * (x % perByte + 1))) & ((1 << bitDepth) - 1);
                if (colorType == 3)
                    return OnPaper(Luma(palette[value * 3], palette[value * 3 + 1], palette[value * 3 + 2]), value < paletteAlpha.Length ? paletteAlpha[value] : 255);
                return (byte)(value * 255 / ((1 << bitDepth) - 1));
            }
            var p = x * channels;
            return colorType switch
            {
                0 => line[p],
                3 => OnPaper(Luma(palette[line[p] * 3], palette[line[p] * 3 + 1], palette[line[p] * 3 + 2]), line[p] < paletteAlpha.Length ? paletteAlpha[line[p]] : 255),
                4 => OnPaper(line[p], line[p + 1]),
                2 => Luma(line[p], line[p + 1], line[p + 2]),
                _ => OnPaper(Luma(line[p], line[p + 1], line[p + 2]), line[p + 3]),
            };
        }

        byte OnPaper(int luma, int alpha) => (byte)((luma * alpha + paper * (255 - alpha)) / 255);
    }

    static byte Luma(int r, int g, int b) => (byte)((r * 299 + g * 587 + b * 114) / 1000);

    static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
