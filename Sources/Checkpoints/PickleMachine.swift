import Foundation

/// A small pickle virtual machine covering what `torch.save` emits
/// (protocols 0-5 minus extension registry and out-of-band buffers).
///
/// It never imports or runs anything: globals become ``PickleValue/global``
/// values, and calls on them are interpreted by ``TorchGlobals`` (tensors,
/// OrderedDict) or recorded as opaque ``PickleObject``s. That is what makes
/// loading untrusted checkpoints safe here, unlike Python's `pickle`.
///
/// Run it through ``unpickle(_:start:url:persistentLoad:extract:)``, which
/// bounds nesting depth and always dismantles the value graph afterwards
/// (see ``PickleTeardown``), including when parsing fails half way.
final class PickleMachine {
    typealias PersistentLoad = (PickleValue) throws -> PickleValue

    /// What one pickle yielded: what `extract` took from it, the offset just
    /// past its STOP, and the globals it called that the reader does not
    /// interpret (sorted, as `module.name`), whose results were kept opaque.
    struct Run<T> {
        let value: T
        let end: Int
        let ignoredGlobals: [String]
    }

    /// Runs the pickle starting at `start` inside `bytes` and hands its value
    /// to `extract`, which must copy out what it needs: once it returns, every
    /// container in the graph is emptied. Values nested deeper than
    /// ``PickleLimits/maximumDepth`` are refused.
    static func unpickle<T>(_ bytes: UnsafeRawBufferPointer, start: Int = 0, url: URL,
                            persistentLoad: @escaping PersistentLoad = { _ in .none },
                            extract: (PickleValue) throws -> T) throws -> Run<T> {
        let machine = PickleMachine(bytes: bytes, start: start, url: url, persistentLoad: persistentLoad)
        defer { machine.dismantle() }
        let (root, end) = try machine.run()
        machine.stack.append(root)  // so that dismantle() reaches it
        if PickleDepth.exceeds(root, limit: PickleLimits.maximumDepth) {
            throw CheckpointError.limitExceeded(url, "pickle values are nested more than \(PickleLimits.maximumDepth) levels deep (torch.save never writes that)")
        }
        return Run(value: try extract(root), end: end, ignoredGlobals: machine.ignoredGlobals.sorted())
    }

    private let bytes: UnsafeRawBufferPointer
    private let url: URL
    private let persistentLoad: PersistentLoad
    private var position: Int
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]
    private var opcodeOffset = 0
    private var ignoredGlobals: Set<String> = []
    /// Values taken off the stack (or displaced from the memo or an object's
    /// state) by the current opcode. They stay referenced here until the
    /// opcode is done, so that whatever is then no longer used anywhere is
    /// freed through ``PickleTeardown/release(_:)``, also when the opcode
    /// throws, instead of by a recursive release of a local.
    private var dropped: [PickleValue] = []

    private init(bytes: UnsafeRawBufferPointer, start: Int = 0, url: URL, persistentLoad: @escaping PersistentLoad) {
        self.bytes = bytes
        self.position = start
        self.url = url
        self.persistentLoad = persistentLoad
    }

    /// Runs until STOP; returns the unpickled object and the offset just past STOP
    /// (legacy checkpoints put several pickles back to back).
    private func run() throws -> (value: PickleValue, end: Int) {
        while true {
            opcodeOffset = position
            let op = try readByte()
            if op == 0x2e {  // STOP
                return (try pop(), position)
            }
            try execute(op)
            if !dropped.isEmpty { PickleTeardown.release(&dropped) }
        }
    }

    /// Empties everything this machine still references, iteratively.
    private func dismantle() {
        PickleTeardown.dismantle(stack + Array(memo.values) + dropped)
        stack = []
        memo = [:]
        dropped = []
    }

    // MARK: - Opcodes

    private func execute(_ op: UInt8) throws {
        switch op {
        case 0x80: // PROTO
            let version = try readByte()
            if version > 5 { throw malformed("pickle protocol \(version) is newer than 5") }
        case 0x95: _ = try readBytes(8)  // FRAME: only a read-ahead hint
        case 0x28: marks.append(stack.count)  // MARK
        case 0x30: _ = try pop()  // POP
        case 0x31: _ = try popMark()  // POP_MARK
        case 0x32: stack.append(try top())  // DUP

        // Scalars
        case 0x4e: stack.append(.none)  // NONE
        case 0x88: stack.append(.bool(true))  // NEWTRUE
        case 0x89: stack.append(.bool(false))  // NEWFALSE
        case 0x4b: stack.append(.int(Int(try readByte())))  // BININT1
        case 0x4d: stack.append(.int(Int(try readLittle(2, signed: false))))  // BININT2
        case 0x4a: stack.append(.int(Int(try readLittle(4, signed: true))))  // BININT
        case 0x8a: stack.append(try readLong(count: Int(try readByte())))  // LONG1
        case 0x8b: stack.append(try readLong(count: try readLength(4)))  // LONG4
        case 0x49: stack.append(try parseIntLine(try readLine()))  // INT
        case 0x4c: // LONG: Python 2 spells it with a trailing L
            var line = try readLine()
            while line.hasSuffix("L") { line.removeLast() }
            stack.append(try parseIntLine(line))
        case 0x46: // FLOAT (text)
            let line = try readLine()
            guard let value = Double(line) else { throw malformed("bad float literal '\(line)'") }
            stack.append(.float(value))
        case 0x47: stack.append(.float(Double(bitPattern: try readBig64())))  // BINFLOAT

        // Strings and bytes
        case 0x58: stack.append(.string(try readString(try readLength(4))))  // BINUNICODE
        case 0x8c: stack.append(.string(try readString(Int(try readByte()))))  // SHORT_BINUNICODE
        case 0x8d: stack.append(.string(try readString(try readLength(8))))  // BINUNICODE8
        case 0x56: stack.append(.string(try readLine()))  // UNICODE (raw-unicode-escape; ASCII in practice)
        // Python 2 `str` (old legacy checkpoints): bytes, but used as text keys.
        case 0x54: stack.append(.string(try readString(try readLength(4))))  // BINSTRING
        case 0x55: stack.append(.string(try readString(Int(try readByte()))))  // SHORT_BINSTRING
        case 0x53: stack.append(.string(unquote(try readLine())))  // STRING
        case 0x42: stack.append(.bytes(try readBytes(try readLength(4))))  // BINBYTES
        case 0x43: stack.append(.bytes(try readBytes(Int(try readByte()))))  // SHORT_BINBYTES
        case 0x8e, 0x96: stack.append(.bytes(try readBytes(try readLength(8))))  // BINBYTES8, BYTEARRAY8

        // Containers
        case 0x29: stack.append(.makeTuple([]))  // EMPTY_TUPLE
        case 0x74: stack.append(.makeTuple(try popMark()))  // TUPLE
        case 0x85: stack.append(.makeTuple(try popCount(1)))  // TUPLE1
        case 0x86: stack.append(.makeTuple(try popCount(2)))  // TUPLE2
        case 0x87: stack.append(.makeTuple(try popCount(3)))  // TUPLE3
        case 0x5d: stack.append(.list(PickleList()))  // EMPTY_LIST
        case 0x6c: stack.append(.list(PickleList(try popMark())))  // LIST
        case 0x7d: stack.append(.dict(PickleDict()))  // EMPTY_DICT
        case 0x64: // DICT
            let dict = PickleDict()
            try setItems(dict, try popMark())
            stack.append(.dict(dict))
        case 0x8f: stack.append(.list(PickleList()))  // EMPTY_SET (sets kept as lists)
        case 0x91: stack.append(.list(PickleList(try popMark())))  // FROZENSET
        // Operands are popped into locals first: a method call captures `self`
        // (and so the stack) before evaluating its arguments.
        case 0x61: // APPEND
            let value = try pop()
            try append([value])
        case 0x65, 0x90: // APPENDS, ADDITEMS
            let items = try popMark()
            try append(items)
        case 0x73: // SETITEM
            let value = try pop(), key = try pop()
            try setItems(on: try top(), [key, value])
        case 0x75: // SETITEMS
            let items = try popMark()
            try setItems(on: try top(), items)

        // Memo
        case 0x70: try memoize(try parseIndex(try readLine()))  // PUT
        case 0x71: try memoize(Int(try readByte()))  // BINPUT
        case 0x72: try memoize(try readLength(4))  // LONG_BINPUT
        case 0x94: try memoize(memo.count)  // MEMOIZE
        case 0x67: try recall(try parseIndex(try readLine()))  // GET
        case 0x68: try recall(Int(try readByte()))  // BINGET
        case 0x6a: try recall(try readLength(4))  // LONG_BINGET

        // Classes, calls and persistent ids
        case 0x63: // GLOBAL
            let module = try readLine(), name = try readLine()
            stack.append(.global(module: module, name: name))
        case 0x93: // STACK_GLOBAL
            let name = try pop(), module = try pop()
            guard let m = module.stringValue, let n = name.stringValue else { throw malformed("STACK_GLOBAL needs two strings") }
            stack.append(.global(module: m, name: n))
        case 0x52: // REDUCE
            let args = try pop(), callable = try pop()
            stack.append(try call(callable, args))
        case 0x81: // NEWOBJ
            let args = try pop(), cls = try pop()
            stack.append(try call(cls, args))
        case 0x92: // NEWOBJ_EX (keyword arguments are ignored)
            _ = try pop()
            let args = try pop(), cls = try pop()
            stack.append(try call(cls, args))
        case 0x69: // INST
            let module = try readLine(), name = try readLine()
            stack.append(try call(.global(module: module, name: name), .makeTuple(try popMark())))
        case 0x6f: // OBJ
            var items = try popMark()
            guard !items.isEmpty else { throw malformed("OBJ without a class") }
            let cls = items.removeFirst()
            stack.append(try call(cls, .makeTuple(items)))
        case 0x62: // BUILD
            let state = try pop()
            // Only opaque objects keep their state; a dict's state is its
            // attributes (e.g. state_dict._metadata), never extra items.
            if case let .object(object) = try top() {
                dropped.append(object.state)
                object.state = state
            }
        case 0x50: stack.append(try loadPersistent(.string(try readLine())))  // PERSID
        case 0x51: stack.append(try loadPersistent(try pop()))  // BINPERSID

        default:
            // EXT1/2/4 (extension registry), NEXT_BUFFER/READONLY_BUFFER
            // (out-of-band data) and anything unknown.
            throw CheckpointError.unsupportedPickleOpcode(url, opcode: op, offset: opcodeOffset)
        }
    }

    private func call(_ callable: PickleValue, _ args: PickleValue) throws -> PickleValue {
        guard let arguments = args.sequence else { throw malformed("call arguments are not a tuple") }
        let result: PickleValue
        do {
            result = try TorchGlobals.call(callable, arguments)
        } catch let problem as TorchGlobals.Problem {
            throw malformed(problem.message)
        }
        // An opaque result of a named class is a global we did not interpret:
        // remember it so callers can say so instead of dropping it silently.
        if case let .object(object) = result, case let .global(module, name) = object.type {
            ignoredGlobals.insert("\(module).\(name)")
        }
        return result
    }

    private func loadPersistent(_ pid: PickleValue) throws -> PickleValue {
        do {
            return try persistentLoad(pid)
        } catch let problem as TorchGlobals.Problem {
            throw malformed(problem.message)
        }
    }

    private func append(_ values: [PickleValue]) throws {
        switch try top() {
        case let .list(list): list.items.append(contentsOf: values)
        case let .object(object): object.listItems.items.append(contentsOf: values)
        default: throw malformed("APPEND(S) onto a non-list")
        }
    }

    private func setItems(on target: PickleValue, _ items: [PickleValue]) throws {
        switch target {
        case let .dict(dict): try setItems(dict, items)
        case let .object(object): try setItems(object.items, items)
        default: throw malformed("SETITEM(S) onto a non-dict")
        }
    }

    private func setItems(_ dict: PickleDict, _ items: [PickleValue]) throws {
        guard items.count % 2 == 0 else { throw malformed("odd number of dict items") }
        for i in stride(from: 0, to: items.count, by: 2) { dict.set(items[i], items[i + 1]) }
    }

    private func memoize(_ index: Int) throws {
        let value = try top()
        if memo[index] == nil, memo.count >= PickleLimits.maximumMemoEntries {
            throw CheckpointError.limitExceeded(url, "pickle stores more than \(PickleLimits.maximumMemoEntries) memo entries")
        }
        if let displaced = memo.updateValue(value, forKey: index) { dropped.append(displaced) }
    }

    private func recall(_ index: Int) throws {
        guard let value = memo[index] else { throw malformed("memo index \(index) was never stored") }
        stack.append(value)
    }

    // MARK: - Stack

    private func pop() throws -> PickleValue {
        if let floor = marks.last, stack.count <= floor { throw malformed("stack underflow (pop across a mark)") }
        guard let value = stack.popLast() else { throw malformed("stack underflow") }
        dropped.append(value)
        return value
    }

    private func top() throws -> PickleValue {
        guard let value = stack.last else { throw malformed("stack underflow") }
        return value
    }

    private func popCount(_ n: Int) throws -> [PickleValue] {
        let floor = marks.last ?? 0
        guard stack.count - n >= floor else { throw malformed("stack underflow") }
        let items = Array(stack.suffix(n))
        stack.removeLast(n)
        dropped.append(contentsOf: items)
        return items
    }

    private func popMark() throws -> [PickleValue] {
        guard let mark = marks.popLast() else { throw malformed("no MARK on the stack") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        dropped.append(contentsOf: items)
        return items
    }

    // MARK: - Reading operands

    private func readByte() throws -> UInt8 {
        guard position < bytes.count else { throw CheckpointError.truncated(url, "pickle data ends at offset \(position) before STOP") }
        defer { position += 1 }
        return bytes[position]
    }

    private func readBytes(_ n: Int) throws -> [UInt8] {
        guard n >= 0, n <= bytes.count - position else {
            throw CheckpointError.truncated(url, "pickle operand of \(n) bytes at offset \(position) runs past the end")
        }
        defer { position += n }
        return Array(bytes[position..<position + n])
    }

    private func readLittle(_ n: Int, signed: Bool) throws -> Int64 {
        let raw = try readBytes(n)
        var value: UInt64 = 0
        for (i, b) in raw.enumerated() { value |= UInt64(b) << (8 * UInt64(i)) }
        if signed, n < 8, raw[n - 1] & 0x80 != 0 { value |= ~0 << (8 * UInt64(n)) }
        return Int64(bitPattern: value)
    }

    /// A length or index operand; refuses negative or absurd values instead of trapping.
    private func readLength(_ n: Int) throws -> Int {
        let value = try readLittle(n, signed: false)
        guard value >= 0, value <= Int64(bytes.count) * 2 + 1 << 20 else { throw malformed("implausible length \(value)") }
        return Int(value)
    }

    private func readBig64() throws -> UInt64 {
        try readBytes(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    private func readLong(count: Int) throws -> PickleValue {
        let raw = try readBytes(count)
        if raw.isEmpty { return .int(0) }
        if count > 8 { return .bigInt(raw) }
        var value: UInt64 = 0
        for (i, b) in raw.enumerated() { value |= UInt64(b) << (8 * UInt64(i)) }
        if count < 8, raw[count - 1] & 0x80 != 0 { value |= ~0 << (8 * UInt64(count)) }
        return .int(Int(Int64(bitPattern: value)))
    }

    private func readString(_ n: Int) throws -> String {
        let raw = try readBytes(n)
        // Python 2 byte strings may not be UTF-8; Latin-1 maps every byte.
        return String(bytes: raw, encoding: .utf8) ?? String(bytes: raw, encoding: .isoLatin1) ?? ""
    }

    private func readLine() throws -> String {
        guard let newline = bytes[position...].firstIndex(of: 0x0a) else {
            throw CheckpointError.truncated(url, "unterminated text operand at offset \(position)")
        }
        defer { position = newline + 1 }
        return String(decoding: bytes[position..<newline], as: UTF8.self)
    }

    private func parseIntLine(_ line: String) throws -> PickleValue {
        if line == "00" { return .bool(false) }  // protocol 0 spelling of False/True
        if line == "01" { return .bool(true) }
        guard let value = Int(line) else { throw malformed("bad integer literal '\(line)'") }
        return .int(value)
    }

    private func parseIndex(_ line: String) throws -> Int {
        guard let value = Int(line), value >= 0 else { throw malformed("bad memo index '\(line)'") }
        return value
    }

    private func unquote(_ line: String) -> String {
        guard line.count >= 2, let first = line.first, first == line.last, first == "'" || first == "\"" else { return line }
        return String(line.dropFirst().dropLast())
    }

    private func malformed(_ why: String) -> CheckpointError {
        .malformedPickle(url, why, offset: opcodeOffset)
    }
}
