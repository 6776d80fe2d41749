// Terminal and standard-stream handling: prompts without echo, one-line reads from
// stdin for secrets, and whether colour/QR output is wanted.
import Sodium

#if canImport(Glibc)
  import Glibc
#endif

enum Terminal {
  static func stdout(_ s: String) {
    fputs(s, Glibc.stdout)
  }

  static func stderr(_ s: String) {
    fflush(Glibc.stdout)
    fputs(s, Glibc.stderr)
  }

  static var stdinIsTerminal: Bool { isatty(0) == 1 }
  static var stdoutIsTerminal: Bool { isatty(1) == 1 }

  /// `NO_COLOR` set (to anything) disables colour unless explicitly requested.
  static var noColor: Bool { getenv("NO_COLOR") != nil }

  /// The width of the terminal standard output is on, in columns: the window size
  /// (TIOCGWINSZ) when stdout is a terminal that knows it, else `$COLUMNS` when that is a
  /// positive number, else nil (unknown: a pipe or file has no width).
  static var columns: Int? {
    var size = winsize()
    if isatty(1) == 1, ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
      return Int(size.ws_col)
    }
    if let text = getenv("COLUMNS").map({ String(cString: $0) }), let n = Int(text), n > 0 {
      return n
    }
    return nil
  }

  /// The longest secret line read from stdin (docs/guide.md, "Usage": one line; "Exit
  /// codes", 65: at most 4 KiB).
  static let maxSecretLine = 4096

  /// Reads one line of standard input (without the line ending) into bytes, for secrets
  /// (codes, tokens, passphrases, URIs). One byte at a time, so nothing after the line
  /// is consumed; a longer line is bad data (65) and nothing more is read.
  /// Returns nil at end of input with nothing read.
  static func readLineBytes(limit: Int = maxSecretLine) throws -> [UInt8]? {
    var out: [UInt8] = []
    var byte: UInt8 = 0
    var sawAny = false
    while true {
      let n = read(0, &byte, 1)
      if n < 0 {
        if errno == EINTR { continue }
        throw CLIError("cannot read standard input: \(String(cString: strerror(errno)))", code: Exit.ioError)
      }
      if n == 0 { break }
      sawAny = true
      if byte == 10 { break }
      out.append(byte)
      if out.count > limit + 1 || (out.count == limit + 1 && byte != 13) {
        Sodium.wipe(&out)
        throw CLIError("standard input: line longer than \(limit) bytes (the limit for a secret)", code: Exit.dataError)
      }
    }
    if !sawAny { return nil }
    if out.last == 13 { out.removeLast() }
    return out
  }

  /// Reads a secret that a script passes in: the argument unless it is absent or "-",
  /// else one line of stdin (with a prompt on stderr when stdin is a terminal).
  static func secretArgument(_ arg: String?, prompt: String, echo: Bool = true) throws -> String {
    if let a = arg, a != "-" { return a }
    if stdinIsTerminal {
      var bytes = try promptLine(prompt, echo: echo)
      defer { Sodium.wipe(&bytes) }
      return String(decoding: bytes, as: UTF8.self)
    }
    guard var bytes = try readLineBytes() else {
      throw CLIError("expected \(prompt.lowercased()) on standard input, got end of input", code: Exit.usage)
    }
    defer { Sodium.wipe(&bytes) }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Prompts on stderr and reads a line from the terminal on stdin, without echo when
  /// asked. Echo is restored even on error.
  static func promptLine(_ prompt: String, echo: Bool) throws -> [UInt8] {
    stderr("\(prompt): ")
    var saved = termios()
    let haveTermios = tcgetattr(0, &saved) == 0
    if !echo && haveTermios {
      var quiet = saved
      quiet.c_lflag &= ~tcflag_t(ECHO)
      quiet.c_lflag |= tcflag_t(ECHONL)
      tcsetattr(0, TCSAFLUSH, &quiet)
    }
    defer {
      if !echo && haveTermios { tcsetattr(0, TCSAFLUSH, &saved) }
    }
    guard let line = try readLineBytes() else {
      throw CLIError("no input", code: Exit.usage)
    }
    return line
  }
}
