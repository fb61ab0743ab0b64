import ArgumentParser
import Checkpoints
import Foundation
import MIQA
import Tensor

/// `miqa onnx inspect|run`: bring-your-own-model tools for ONNX files.
struct ONNX: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onnx",
        abstract: "Check and run ONNX models on miqa's engine (bring your own machine).",
        discussion: """
            `inspect` reads a model and says whether miqa can run it: its inputs and outputs, the \
            operators it uses, and the first unsupported operator or attribute (named by node). \
            `run` runs it on tensors from a safetensors file (keys = graph input names, channels-first \
            as the model declares) and writes every output to another, for comparing with ONNX \
            Runtime (tools/onnx/check_model.py does that). Supported operators: \
            \(ONNXGraph.supportedOperators.joined(separator: ", ")).
            """,
        subcommands: [Inspect.self, Run.self]
    )

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Say whether miqa can run an ONNX model, and what it holds.")

        @Argument(help: "The .onnx file.")
        var model: String

        func run() throws {
            let url = URL(fileURLWithPath: model)
            let file = try ONNXModelFile(contentsOf: url)
            print("\(url.path): opset \(file.opset), \(file.nodes.count) nodes, \(file.initializers.count) initializers")
            for input in file.inputs {
                print("  input  \(input.name) \(input.shape.map { $0.map(String.init) ?? "?" })")
            }
            for output in file.outputs { print("  output \(output)") }
            let counts = Dictionary(file.nodes.map { ($0.opType, 1) }, uniquingKeysWith: +)
            print("  operators: " + counts.sorted { $0.key < $1.key }.map { "\($0.key) x\($0.value)" }.joined(separator: ", "))
            do {
                _ = try ONNXGraph(file: file)
                print("supported: miqa can run this model")
            } catch {
                print("not supported: \(error)")
                throw ExitCode(1)
            }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run an ONNX model on tensors from a safetensors file.")

        @Argument(help: "The .onnx file.")
        var model: String

        @Option(help: "Safetensors file with one float tensor per graph input (key = input name).")
        var inputs: String

        @Option(help: "Where to write the outputs (safetensors, key = output name).")
        var out: String

        @Option(help: "Compute threads, 1...256 (default: all cores).")
        var threads: Int?

        func run() throws {
            if let threads { ComputeThreads.set(threads) }
            let graph = try ONNXGraph(contentsOf: URL(fileURLWithPath: model))
            let given = try SafetensorsReader.read(URL(fileURLWithPath: inputs))
            var feed: [String: Tensor] = [:]
            for (name, stored) in given.entries { feed[name] = Tensor(shape: stored.shape, values: stored.values) }
            let started = Date()
            let outputs = try graph.run(feed)
            let seconds = Date().timeIntervalSince(started)
            var dict = TensorDict()
            for name in graph.file.outputs {
                let t = outputs[name]!
                dict.set(name, StoredTensor(shape: t.shape, values: t.values))
            }
            try SafetensorsWriter.write(dict, to: URL(fileURLWithPath: out))
            FileHandle.standardError.write(Data("ran \(graph.file.nodes.count) nodes in \(String(format: "%.3f", seconds)) s; wrote \(dict.count) outputs to \(out)\n".utf8))
        }
    }
}
