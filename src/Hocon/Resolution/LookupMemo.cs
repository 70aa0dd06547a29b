using System.Runtime.CompilerServices;
using Decentral.Hocon.Parsing;

namespace Decentral.Hocon.Resolution;

/// <summary>
/// Values found by substitution lookups, by path and the definitions the lookup reached. Without it,
/// every <c>${a}</c> of an object defined in several layers merges those layers again, copying every
/// field: a thousand references to a thousand-field object cost a million copies (time and memory
/// quadratic in the text). Definitions are compared by identity (a resolved value by the value's), and a
/// lookup that a mask shortened reaches other definitions, so it is a different entry. Like the
/// resolver's per-definition memo, this relies on a definition evaluating to the same value wherever
/// it is reached from.
/// </summary>
internal sealed class LookupMemo
{
    private readonly Dictionary<Key, HoconValue?> _values = [];

    public bool TryGet(HoconPath path, IReadOnlyList<AstNode> definitions, out HoconValue? value) =>
        _values.TryGetValue(new Key(path, definitions), out value);

    public void Add(HoconPath path, IReadOnlyList<AstNode> definitions, HoconValue? value) => _values[new Key(path, definitions)] = value;

    private sealed class Key : IEquatable<Key>
    {
        private readonly HoconPath _path;
        private readonly object[] _identities;
        private readonly int _hash;

        public Key(HoconPath path, IReadOnlyList<AstNode> definitions)
        {
            _path = path;
            _identities = new object[definitions.Count];
            var hash = new HashCode();
            hash.Add(path);
            for (var i = 0; i < definitions.Count; i++)
            {
                // ChildDefinitions wraps resolved values anew on every lookup; the value is what counts.
                _identities[i] = definitions[i] is AstValue v ? v.Value : definitions[i];
                hash.Add(RuntimeHelpers.GetHashCode(_identities[i]));
            }

            _hash = hash.ToHashCode();
        }

        public bool Equals(Key? other)
        {
            if (other is null || other._hash != _hash || other._identities.Length != _identities.Length || !other._path.Equals(_path))
            {
                return false;
            }

            for (var i = 0; i < _identities.Length; i++)
            {
                if (!ReferenceEquals(_identities[i], other._identities[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as Key);

        public override int GetHashCode() => _hash;
    }
}
