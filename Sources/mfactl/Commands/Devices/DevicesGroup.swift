import ArgumentParser

extension MFACtl {
  struct DevicesGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "devices",
      abstract: "Trusted devices: a token that lets a device skip the code for a while.",
      subcommands: [DevicesTrust.self, DevicesCheck.self, DevicesList.self, DevicesRevoke.self])
  }
}
