import CQREncode
import Glibc

/// A QR code symbol as a square grid of dark and light modules, without quiet zone.
///
/// The grid is copied out of libqrencode's `QRcode` so the C object can be freed at once
/// and the symbol is a plain value afterwards.
public struct QRSymbol {
  /// Modules per side (21 for version 1 up to 177 for version 40).
  public let size: Int
  /// The QR version libqrencode chose (1...40): the smallest that holds the text.
  public let version: Int
  /// Row-major, `size * size` entries, true = dark.
  private let modules: [Bool]

  /// Whether the module at column `x`, row `y` is dark. Coordinates outside the symbol
  /// are light, which is what the quiet zone around a symbol must be.
  public func isDark(x: Int, y: Int) -> Bool {
    guard x >= 0, y >= 0, x < size, y < size else { return false }
    return modules[y * size + x]
  }

  /// Encodes `text` (its UTF-8 bytes) with libqrencode at error-correction level M in
  /// 8-bit mode, letting libqrencode pick the smallest version that fits. The first call
  /// loads libqrencode (`LibQREncode`); `QRError.libraryUnavailable` when it cannot.
  ///
  /// `QRcode_encodeData` is used rather than `QRcode_encodeString8bit` because it takes a
  /// length instead of relying on NUL termination, so every byte of the string is encoded
  /// even if it contains U+0000. Level M (15% recovery) is what authenticator enrolment
  /// codes commonly use: a good balance between symbol size and tolerance for a blurry
  /// phone camera.
  public init(encoding text: String) throws {
    let bytes = Array(text.utf8)
    guard !bytes.isEmpty else { throw QRError.emptyText }
    // Anything larger than a version-40 symbol's capacity fails with ERANGE below; checking
    // against Int32 first only keeps the conversion from trapping on absurd input.
    guard bytes.count <= Int(Int32.max) else { throw QRError.textTooLong }

    let library = try LibQREncode.functions.get()
    errno = 0
    let encoded: UnsafeMutablePointer<QRcode>? = bytes.withUnsafeBufferPointer { buffer in
      library.encode(Int32(buffer.count), buffer.baseAddress, 0, QR_ECLEVEL_M)
    }
    guard let code = encoded else {
      let error = errno
      switch error {
      case ERANGE:
        throw QRError.textTooLong
      case ENOMEM:
        throw QRError.encodingFailed("out of memory")
      default:
        throw QRError.encodingFailed(String(cString: strerror(error)).lowercased())
      }
    }
    defer { library.free(code) }

    let width = Int(code.pointee.width)
    guard width > 0, let data = code.pointee.data else {
      throw QRError.encodingFailed("libqrencode returned an empty symbol")
    }
    // libqrencode stores one byte per module; bit 0 is set for dark modules, the other
    // bits describe what the module is (finder pattern, format info, ...) and are ignored.
    var modules = [Bool](repeating: false, count: width * width)
    for index in 0..<(width * width) {
      modules[index] = data[index] & 1 != 0
    }
    self.size = width
    self.version = Int(code.pointee.version)
    self.modules = modules
  }
}
