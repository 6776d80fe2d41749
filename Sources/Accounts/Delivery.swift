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

  /// Runs `argv` (PATH lookup for argv[0]) with `message` on stdin and `environment`
  /// added to the inherited one; waits at most `timeout` seconds, then kills it.
  /// Throws unless it exits 0.
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

    var env: [String] = []
    var i = 0
    while let e = environ[i] {
      let s = String(cString: e)
      if let eq = s.firstIndex(of: "="), environment[String(s[..<eq])] == nil { env.append(s) }
      i += 1
    }
    for (k, v) in environment { env.append("\(k)=\(v)") }

    var pid: pid_t = 0
    let cArgs = argv.map { strdup($0) } + [nil]
    let cEnv = env.map { strdup($0) } + [nil]
    defer {
      for p in cArgs { free(p) }
      for p in cEnv { free(p) }
    }
    let rc = posix_spawnp(&pid, argv[0], &actions, nil, cArgs, cEnv)
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
