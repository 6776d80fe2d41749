import CLoadGuard
import CQREncode
import Glibc

/// libqrencode's two entry points mfactl uses, loaded the first time a QR code is made.
///
/// Why not link it: every start of mfactl, most of them a `verify` in a login path, would
/// map libqrencode.so.4 and the libpthread.so.0 it needs, and relocate both, for a library
/// only `enrol` uses (measured in bench/README.md, "libqrencode on demand"). Loading it
/// here keeps the library a run-time dependency of QR output only. A release linked
/// fully static with `libqrencode.a` (Makefile, `QRENCODE_A`) defines
/// `MFACTL_QRENCODE_LINKED` and calls the linked functions instead: a static executable
/// can load shared objects only with the very glibc it was built with (docs/startup.md).
enum LibQREncode {
  typealias Encode = @convention(c) (Int32, UnsafePointer<UInt8>?, Int32, QRecLevel) -> UnsafeMutablePointer<QRcode>?
  typealias Free = @convention(c) (UnsafeMutablePointer<QRcode>?) -> Void

  /// The soname of the Debian package libqrencode4, the ABI the header describes.
  static let soname = "libqrencode.so.4"

  /// The functions, or why they cannot be had. Loaded once per process.
  static let functions: Result<(encode: Encode, free: Free), QRError> = load()

  private static func load() -> Result<(encode: Encode, free: Free), QRError> {
    #if MFACTL_QRENCODE_LINKED
      return .success((QRcode_encodeData, QRcode_free))
    #else
      // RTLD_LOCAL: its symbols stay out of the global namespace, so they cannot
      // interpose on anything mfactl itself uses.
      // A fully static build loads nothing with another glibc build than its own
      // (Sources/CLoadGuard/load_guard.c).
      guard mfactl_dlopen_check() == 0 else {
        return .failure(.loadingRefused(String(cString: mfactl_dlopen_refusal())))
      }
      guard let handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL) else {
        return .failure(.libraryUnavailable(loaderError() ?? "\(soname) cannot be loaded"))
      }
      guard let encode = dlsym(handle, "QRcode_encodeData"), let free = dlsym(handle, "QRcode_free") else {
        return .failure(.libraryUnavailable(loaderError() ?? "\(soname) lacks QRcode_encodeData or QRcode_free"))
      }
      return .success((unsafeBitCast(encode, to: Encode.self), unsafeBitCast(free, to: Free.self)))
    #endif
  }

  private static func loaderError() -> String? {
    guard let message = dlerror() else { return nil }
    return String(cString: message)
  }
}
