using System.Buffers.Binary;
using System.IO.Compression;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace CodeQuiz.Tests.Components.Qr;

/// <summary>Reads a QR code back out of a PNG the way a phone camera would (ZXing), so tests check what is printed.</summary>
static class QrImages
{
    public sealed record Decoded(string Text, int Width, int Height);

    public static Decoded Read(byte[] png)
    {
        var (gray, width, height) = DecodePng(png);
        var bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(gray, width, height, RGBLuminanceSource.BitmapFormat.Gray8)));
        var result = new QRCodeReader().decode(bitmap, new Dictionary<DecodeHintType, object> { [DecodeHintType.TRY_HARDER] = true })
            ?? throw new InvalidOperationException("No QR code could be read from the image.");
        return new Decoded(result.Text, width, height);
    }

    /// <summary>Just enough PNG for QRCoder's output: greyscale or palette, 1 or 8 bits, any row filter, no interlace.</summary>
    static (byte[] Gray, int Width, int Height) DecodePng(byte[] png)
    {
        var position = 8;
        int width = 0, height = 0, bitDepth = 0, colorType = 0;
        byte[] palette = [];
        using var idat = new MemoryStream();
        while (position < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(position));
            var type = System.Text.Encoding.ASCII.GetString(png, position + 4, 4);
            var data = png.AsSpan(position + 8, length);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    bitDepth = data[8];
                    colorType = data[9];
                    break;
                case "PLTE": palette = data.ToArray(); break;
                case "IDAT": idat.Write(data); break;
            }
            position += 12 + length;
        }
        if (colorType is not (0 or 3) || bitDepth is not (1 or 8))
            throw new NotSupportedException($"PNG colour type {colorType} at {bitDepth} bits");

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
            zlib.CopyTo(inflated);
        var raw = inflated.ToArray();
        var stride = (width * bitDepth + 7) / 8;
        var previous = new byte[stride];
        var gray = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var row = raw.AsSpan(y * (stride + 1) + 1, stride).ToArray();
            var bpp = Math.Max(1, bitDepth / 8);
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
                    _ => throw new NotSupportedException($"PNG filter {filter}"),
                });
            }
            for (var x = 0; x < width; x++)
            {
                var value = bitDepth == 8 ? row[x] : (row[x / 8] >> (7 - x % 8)) & 1;
                gray[y * width + x] = colorType == 3
                    ? palette[value * 3]
                    : (byte)(bitDepth == 1 ? value * 255 : value);
            }
            previous = row;
        }
        return (gray, width, height);
    }

    static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
