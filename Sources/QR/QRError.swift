/// Everything that can go wrong while building or rendering a QR code.
///
/// Messages are lower-case sentence fragments so the CLI can prefix them
/// ("mfactl: text too long for a QR code") without re-casing.
public enum QRError: Error, Equatable, CustomStringConvertible {
  /// libqrencode refuses zero-length input; an empty enrolment URI is a caller bug anyway.
  case emptyText
  /// The text does not fit in a version-40 symbol at error-correction level M (2,331 bytes).
  case textTooLong
  /// libqrencode failed for another reason (out of memory, invalid argument).
  case encodingFailed(String)
  /// `QRRenderer.png(_:scale:)` was given a scale outside `QRRenderer.pngScaleRange`.
  case invalidScale(Int)
  /// The PNG could not be produced.
  case pngEncodingFailed(String)
  /// libqrencode.so.4 could not be loaded (not installed, or not the expected ABI); the
  /// loader's reason. Only QR output needs it.
  case libraryUnavailable(String)
  /// A fully static build may not load libqrencode: the system's glibc is not the build
  /// it was linked with (Sources/CLoadGuard/load_guard.c); the guard's reason.
  case loadingRefused(String)

  public var description: String {
    switch self {
    case .emptyText:
      return "cannot encode empty text as a QR code"
    case .textTooLong:
      return "text too long for a QR code"
    case .encodingFailed(let reason):
      return "could not encode QR code: \(reason)"
    case .invalidScale(let scale):
      return "invalid PNG scale \(scale): must be between \(QRRenderer.pngScaleRange.lowerBound) "
        + "and \(QRRenderer.pngScaleRange.upperBound) pixels per module"
    case .pngEncodingFailed(let reason):
      return "could not encode PNG: \(reason)"
    case .libraryUnavailable(let reason):
      return "cannot load libqrencode to draw the QR code (\(reason))"
    case .loadingRefused(let reason):
      return "cannot load libqrencode to draw the QR code: \(reason)"
    }
  }
}
