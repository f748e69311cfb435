using System.Net;
using System.Net.Sockets;

namespace CodeQuiz.Web.Organizers;

/// <summary>
/// Slows password guessing without letting a stranger keep an organizer out. Identity's lockout counted wrong passwords
/// per account, so anyone who could reach the sign-in page could lock an organizer out for five minutes, again and
/// again, by typing their email with any password. Here wrong passwords count per account and client address: five
/// from one address shut that address out of that account for five minutes, while the organizer signs in from their own.
/// Twenty from one address, whatever the accounts, shut it out of all of them, so that guessing across accounts is no
/// faster; an address that signed in to an account before keeps its way into that one.
/// </summary>
/// <remarks>
/// The client address is the connection's, or the one a reverse proxy on this machine forwarded (Program); an IPv6
/// address counts by its /64, which one home or server usually gets whole. Kept in memory: a restart forgets it.
/// </remarks>
public sealed class SignInThrottle(TimeProvider time)
{
    public const int AccountFailures = 5, AddressFailures = 20;

    public static readonly TimeSpan LockTime = TimeSpan.FromMinutes(5);

    // Wrong passwords further apart than this do not add up, and what is older is dropped.
    static readonly TimeSpan Memory = TimeSpan.FromMinutes(15);

    readonly Lock _gate = new();
    readonly Dictionary<(string Account, string Address), Tally> _accounts = [];
    readonly Dictionary<string, Tally> _addresses = [];
    readonly Dictionary<(string Account, string Address), DateTimeOffset> _signedIn = [];
    DateTimeOffset _nextSweep;

    /// <summary>When signing in to <paramref name="email"/> from <paramref name="address"/> is possible again; null when it is now.</summary>
    public DateTimeOffset? LockedUntil(string email, IPAddress? address)
    {
        var key = Key(email, address);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            DateTimeOffset? until = _accounts.TryGetValue(key, out var tally) && tally.LockedUntil > now ? tally.LockedUntil : null;
            if (!_signedIn.ContainsKey(key) && _addresses.TryGetValue(key.Address, out var all) && all.LockedUntil > now
                && (until is null || all.LockedUntil > until))
                until = all.LockedUntil;
            return until;
        }
    }

    /// <summary>The latest end of a lock on <paramref name="email"/> from any address, for the organizers page.</summary>
    public DateTimeOffset? LockedUntil(string email)
    {
        var account = Account(email);
        var now = time.GetUtcNow();
        lock (_gate)
            return _accounts.Where(a => a.Key.Account == account && a.Value.LockedUntil > now).Select(a => (DateTimeOffset?)a.Value.LockedUntil).Max();
    }

    /// <summary>Counts a wrong password (or an unknown email); the end of the lock when this one locked.</summary>
    public DateTimeOffset? Failed(string email, IPAddress? address)
    {
        var key = Key(email, address);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            Sweep(now);
            var account = Count(_accounts, key, AccountFailures, now);
            var all = Count(_addresses, key.Address, AddressFailures, now);
            return account ?? (_signedIn.ContainsKey(key) ? null : all);
        }
    }

    public void Succeeded(string email, IPAddress? address)
    {
        var key = Key(email, address);
        lock (_gate)
        {
            _accounts.Remove(key);
            _signedIn[key] = time.GetUtcNow();
        }
    }

    /// <summary>Another organizer gave <paramref name="email"/> a new password: the locks on that account end everywhere.</summary>
    public void Release(string email)
    {
        var account = Account(email);
        lock (_gate)
            foreach (var key in _accounts.Keys.Where(k => k.Account == account).ToList())
                _accounts.Remove(key);
    }

    static DateTimeOffset? Count<TKey>(Dictionary<TKey, Tally> tallies, TKey key, int limit, DateTimeOffset now) where TKey : notnull
    {
        if (!tallies.TryGetValue(key, out var tally) || now - tally.LastFailure > Memory)
            tallies[key] = tally = new Tally();
        tally.LastFailure = now;
        if (++tally.Failures < limit)
            return null;
        tally.Failures = 0;
        tally.LockedUntil = now + LockTime;
        return tally.LockedUntil;
    }

    /// <summary>Drops what no longer counts, at most once a minute, so that addresses never seen again do not pile up.</summary>
    void Sweep(DateTimeOffset now)
    {
        if (now < _nextSweep) return;
        _nextSweep = now + TimeSpan.FromMinutes(1);
        foreach (var key in _accounts.Where(a => a.Value.IsOver(now)).Select(a => a.Key).ToList())
            _accounts.Remove(key);
        foreach (var key in _addresses.Where(a => a.Value.IsOver(now)).Select(a => a.Key).ToList())
            _addresses.Remove(key);
        // A sign-in opens its address's way into the account for a day: long enough for the show, short enough to age out.
        foreach (var key in _signedIn.Where(s => now - s.Value > TimeSpan.FromDays(1)).Select(s => s.Key).ToList())
            _signedIn.Remove(key);
    }

    static (string Account, string Address) Key(string email, IPAddress? address) => (Account(email), Address(address));

    static string Account(string email) => email.Trim().ToUpperInvariant();

    /// <summary>An IPv4 address as it is, an IPv6 address by its /64; "unknown" without one (a test server, a Unix socket).</summary>
    internal static string Address(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }

    sealed class Tally
    {
        public int Failures;
        public DateTimeOffset LastFailure;
        public DateTimeOffset LockedUntil;

        public bool IsOver(DateTimeOffset now) => LockedUntil <= now && now - LastFailure > Memory;
    }
}
