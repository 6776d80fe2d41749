// Out-of-band delivery of challenge codes: mfactl does not speak SMTP or SMS itself; it
// runs a program of the administrator's choosing (`--deliver` or $MFACTL_DELIVER) with
// the message on its standard input, without a shell, and with a time limit.
#if canImport(Glibc)
  import Glibc
#endif

public enum DeliveryError: Error, Equatable, CustomStringConvertible {
  case badCommand(String)
  case failed(String)

  public var description: String {
    switch self {
    case .badCommand(let why): return "invalid delivery command: \(why)"
    case .failed(let why): return "delivery failed: \(why)"
    }
  }
}

public enum Delivery {
  /// Splits a command line into words: spaces separate, single quotes keep everything,
  /// double quotes keep everything but \" and \\, a backslash escapes the next
  /// character. No variables, globs or other shell features.
  public static func words(_ command: String) throws -> [String] {
    var words: [String] = []
    var current = ""
    var inWord = false
    var quote: Character? = nil
    var escape = false
    for c in command {
      if escape {
        current.append(c)
        escape = false
        continue
      }
      if let q = quote {
        if c == q {
          quote = nil
        } else if c == "\\" && q == "\"" {
          escape = true
        } else {
          current.append(c)
        }
        continue
      }
      switch c {
      case " ", "\t", "\n":
        if inWord {
          words.append(current)
          current = ""
          inWord = false
        }
      case "'", "\"":
        quote = c
        inWord = true
      case "\\":
        escape = true
        inWord = true
      default:
        current.append(c)
        inWord = true
      }
    }
    guard quote == nil, !escape else { throw DeliveryError.badCommand("unterminated quote or escape") }
    if inWord { words.append(current) }
    guard !words.isEmpty else { throw DeliveryError.badCommand("empty command") }
    return words
  }

  /// The variables a delivery program inherits: enough to find programs and speak the
  /// user's language, nothing that unlocks the vault (`MFACTL_PASSPHRASE`,
  /// `MFACTL_KEY_FILE`, ...) or steers a shell or loader (docs/guide.md, "Security notes").
  public static let inherited = ["PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TZ"]

  /// The environment of a delivery program: `inherited` from ours, then `environment`
  /// (documented `MFACTL_USER`-style variables). No other `MFACTL_*` variable passes.
  public static func cleanEnvironment(adding environment: [String: String]) -> [String] {
    var env: [String] = []
    for name in inherited where environment[name] == nil {
      if let v = getenv(name) { env.append(name + "=" + String(cString: v)) }
    }
    for (k, v) in environment.sorted(by: { $0.key < $1.key }) { env.append("\(k)=\(v)") }
    return env
  }

  /// Runs `argv` (PATH lookup for argv[0]) with `message` on stdin and a clean
  /// environment (`cleanEnvironment`) plus `environment`; waits at most `timeout`
  /// seconds, then kills it. Throws unless it exits 0.
  public static func run(_ argv: [String], message: String, environment: [String: String], timeout: Double) throws {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { throw DeliveryError.failed("cannot create a pipe") }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
    posix_spawn_file_actions_addclose(&actions, fds[1])
    // The program's stdout must not mix with ours (scripts parse it): send it to stderr.
    posix_spawn_file_actions_adddup2(&actions, 2, 1)
    // mfactl ignores SIGPIPE (a closed pipe is an I/O error, 74); the program gets the
    // default dispositions back.
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var defaults = sigset_t()
    sigemptyset(&defaults)
    sigaddset(&defaults, SIGPIPE)
    posix_spawnattr_setsigdefault(&attr, &defaults)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGDEF))

    let env = cleanEnvironment(adding: environment)
    var pid: pid_t = 0
    let cArgs = argv.map { strdup($0) } + [nil]
    let cEnv = env.map { strdup($0) } + [nil]
    defer {
      for p in cArgs { free(p) }
      for p in cEnv { free(p) }
    }
    let rc = posix_spawnp(&pid, argv[0], &actions, &attr, cArgs, cEnv)
    close(fds[0])
    guard rc == 0 else {
      close(fds[1])
      throw DeliveryError.failed("cannot run \(argv[0]): \(String(cString: strerror(rc)))")
    }
    // Write the message; a program that exits without reading gets EPIPE, not SIGPIPE.
    let old = signal(SIGPIPE, SIG_IGN)
    var bytes = Array(message.utf8)
    var done = 0
    while done < bytes.count {
      let n = bytes.withUnsafeBytes { write(fds[1], $0.baseAddress! + done, bytes.count - done) }
      if n <= 0 { break }
      done += n
    }
    close(fds[1])
    signal(SIGPIPE, old)
    for k in bytes.indices { bytes[k] = 0 }

    var status: Int32 = 0
    var waited = 0.0
    while true {
      let r = waitpid(pid, &status, WNOHANG)
      if r == pid { break }
      if r < 0 && errno != EINTR { throw DeliveryError.failed("lost track of \(argv[0])") }
      if waited >= timeout {
        kill(pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
        throw DeliveryError.failed("\(argv[0]) did not finish within \(Int(timeout)) s")
      }
      usleep(10_000)
      waited += 0.01
    }
    let exited = (status & 0x7F) == 0
    let code = (status >> 8) & 0xFF
    guard exited else { throw DeliveryError.failed("\(argv[0]) was killed by signal \(status & 0x7F)") }
    guard code == 0 else { throw DeliveryError.failed("\(argv[0]) exited with status \(code)") }
  }
}
