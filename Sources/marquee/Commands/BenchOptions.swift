import ArgumentParser

/// Options every benchmark shares.
struct BenchOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: table or json.")
    var output: OutputFormat = .table

    @Option(help: "Number of theaters in the generated fleet.")
    var theaters = 750

    @Option(help: "Fleet seed.")
    var seed: UInt64 = 1
}
