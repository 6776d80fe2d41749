// Counts and ages in the words people read: "1 code", "2 codes", "2 days ago".

enum Wording {
  /// "1 code", "0 codes", "3 codes" (`plural` for words that do not just add an s).
  static func count(_ n: Int, _ singular: String, plural: String? = nil) -> String {
    "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
  }

  /// How long ago `seconds` was, in the largest unit that fits, rounded down:
  /// "just now", "45 seconds ago", "1 minute ago", "3 hours ago", "2 days ago".
  /// A time in the future (a clock set back) says so instead of a negative age.
  static func ago(_ seconds: Int64) -> String {
    if seconds < 0 { return "\(count(Int(clamping: -seconds), "second")) from now (is the clock right?)" }
    if seconds == 0 { return "just now" }
    let units: [(Int64, String)] = [(86_400, "day"), (3_600, "hour"), (60, "minute"), (1, "second")]
    for (size, name) in units where seconds >= size {
      return "\(count(Int(clamping: seconds / size), name)) ago"
    }
    return "just now"
  }
}
