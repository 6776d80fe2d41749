import CPNG
import Glibc

// How libpng errors are handled, and why there is no setjmp here.
//
// libpng reports errors by calling the error function and then longjmp-ing to the
// jmp_buf the application registered with setjmp(png_jmpbuf(png)). Swift cannot call
// setjmp soundly (a longjmp across Swift frames skips their cleanup and is undefined
// behaviour), and a system-library target cannot carry a C shim to do it for us.
//
// So this file never registers a jmp_buf. libpng 1.6 clears its internal longjmp target
// when png_create_write_struct returns, and png_longjmp() falls back to abort() when no
// target is set: an error can therefore never unwind through Swift; at worst the process
// stops. Errors during png_create_write_struct itself are caught inside libpng (it uses a
// private jmp_buf in its own C frame) and show up as a NULL return, which we check.
//
// To make that worst case unreachable, only valid, bounded input reaches libpng:
//  * the symbol comes from libqrencode, so its side is 21...177 modules (checked again);
//  * the scale is checked against 1...64 before libpng is touched;
//  * so the image is at most 185 * 64 = 11,840 pixels square, far inside libpng's
//    PNG_USER_WIDTH_MAX/HEIGHT_MAX (1,000,000) and PNG_UINT_31_MAX;
//  * IHDR parameters are constants that libpng accepts (bit depth 1, greyscale, no
//    interlace, default compression and filter);
//  * every row passed to png_write_row is exactly ceil(width / 8) bytes;
//  * output goes to a Swift array through png_set_write_fn, which cannot fail short of
//    running out of memory (when Swift itself would trap anyway).
// What remains is an allocation failure inside libpng or zlib. For that last resort the
// error function prints libpng's message to stderr and calls abort() itself rather than
// returning into libpng's default handler, so the reason is visible.
//
// The alternative — an own PNG writer on zlib's compress2/crc32 — would avoid the issue
// entirely, but the contract names libpng for PNG files, and the bounded-input argument
// above makes libpng's error path unreachable in practice.

/// Collects libpng's output. Passed to the C callbacks as an opaque io pointer.
private final class PNGOutput {
  var bytes: [UInt8] = []
}

/// png_rw_ptr: libpng hands over the next chunk of the encoded file.
private let pngWrite: @convention(c) (png_structp?, png_bytep?, Int) -> Void = { png, data, length in
  guard let png, let data, length > 0, let io = png_get_io_ptr(png) else { return }
  let output = Unmanaged<PNGOutput>.fromOpaque(io).takeUnretainedValue()
  output.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: length))
}

/// png_flush_ptr: nothing is buffered on our side.
private let pngFlush: @convention(c) (png_structp?) -> Void = { _ in }

/// png_error_ptr: last resort only, see the comment at the top of this file. Must not
/// return (libpng would abort anyway) and cannot throw across C frames.
private let pngError: @convention(c) (png_structp?, png_const_charp?) -> Void = { _, message in
  let text = message.map { String(cString: $0) } ?? "unknown error"
  fputs("libpng error: \(text) (this should be unreachable; aborting)\n", stderr)
  abort()
}

/// png_error_ptr for warnings: libpng's default prints them to stderr, which a CLI
/// writing to stdout does not want; for our fixed, valid parameters none are expected.
private let pngWarning: @convention(c) (png_structp?, png_const_charp?) -> Void = { _, _ in }

extension QRRenderer {
  /// A 1-bit greyscale PNG of the symbol with a 4-module quiet zone and `scale` pixels per
  /// module (1...64). Dark modules are black (0), light modules white (1).
  ///
  /// The file is built in memory so the caller decides how it reaches the disk (atomic
  /// rename, refusing to overwrite); this library writes no files.
  public static func png(_ symbol: QRSymbol, scale: Int = 8) throws -> [UInt8] {
    guard pngScaleRange.contains(scale) else { throw QRError.invalidScale(scale) }
    // QRSymbol can only come from libqrencode, but the bounded-input argument above
    // should not rest on that alone.
    guard (21...177).contains(symbol.size) else {
      throw QRError.pngEncodingFailed("unexpected symbol size \(symbol.size)")
    }
    let modulesPerSide = symbol.size + 2 * quietZone
    let width = modulesPerSide * scale  // at most 185 * 64 = 11,840
    let rowBytes = (width + 7) / 8

    let output = PNGOutput()
    guard
      let png: png_structp = png_create_write_struct(
        PNG_LIBPNG_VER_STRING, nil, pngError, pngWarning)
    else {
      throw QRError.pngEncodingFailed("libpng could not be initialised")
    }
    var info: png_infop? = png_create_info_struct(png)
    defer {
      var pngOptional: png_structp? = png
      png_destroy_write_struct(&pngOptional, &info)
    }
    guard let info else { throw QRError.pngEncodingFailed("libpng could not be initialised") }

    withExtendedLifetime(output) {
      png_set_write_fn(png, Unmanaged.passUnretained(output).toOpaque(), pngWrite, pngFlush)
      png_set_IHDR(
        png, info, png_uint_32(width), png_uint_32(width), 1, PNG_COLOR_TYPE_GRAY,
        PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT)
      // The images are small and mostly long runs; maximum compression costs nothing.
      png_set_compression_level(png, Z_BEST_COMPRESSION)
      png_write_info(png, info)

      var row = [UInt8](repeating: 0, count: rowBytes)
      for moduleY in 0..<modulesPerSide {
        // Build one pixel row per module row (bits most significant first, 1 = white),
        // then emit it `scale` times.
        for index in row.indices { row[index] = 0xFF }
        for moduleX in 0..<modulesPerSide
        where symbol.isDark(x: moduleX - quietZone, y: moduleY - quietZone) {
          for pixel in (moduleX * scale)..<((moduleX + 1) * scale) {
            row[pixel >> 3] &= ~(UInt8(0x80) >> UInt8(pixel & 7))
          }
        }
        row.withUnsafeBufferPointer { buffer in
          for _ in 0..<scale { png_write_row(png, buffer.baseAddress) }
        }
      }
      png_write_end(png, nil)
    }
    return output.bytes
  }
}
