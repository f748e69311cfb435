using QRCoder;

namespace CodeQuiz.Web.Components.Pages.Qr;

/// <summary>QR images of deep links, big enough to print sharply on A4 and to read off a projector.</summary>
public static class QrCodes
{
    /// <summary>
    /// A deep link fits in a 33-module code; with the quiet zone that is 41 modules, so 24 pixels a module
    /// gives about 1,000 pixels: 8 cm at 300 dpi.
    /// </summary>
    public const int PrintPixelsPerModule = 24;

    /// <summary>Level Q survives a quarter of the code being smudged, glared or covered by a logo on a stream.</summary>
    const QRCodeGenerator.ECCLevel Correction = QRCodeGenerator.ECCLevel.Q;

    public static byte[] Png(string text, int pixelsPerModule = PrintPixelsPerModule)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, Correction);
        return new PngByteQRCode(data).GetGraphic(pixelsPerModule);
    }

    /// <summary>A scalable image; its viewBox keeps it sharp at any print size.</summary>
    public static string Svg(string text, int pixelsPerModule = PrintPixelsPerModule)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, Correction);
        return new SvgQRCode(data).GetGraphic(pixelsPerModule, "#000000", "#ffffff", drawQuietZones: true, SvgQRCode.SizingMode.ViewBoxAttribute);
    }
}
