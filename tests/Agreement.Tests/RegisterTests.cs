namespace Decentral.Agreement.Tests;

public sealed class RegisterTests
{
    [Fact]
    public void Slots_start_empty_and_return_the_last_write()
    {
        var regs = new InMemoryRegisterArray(3);
        Assert.Null(regs.Read(1));
        var first = new RegisterEntry(new double[] { 1 }, 1);
        var second = new RegisterEntry(new double[] { 2 }, 2);
        regs.Write(1, first);
        Assert.Same(first, regs.Read(1));
        regs.Write(1, second);
        Assert.Same(second, regs.Read(1));
        Assert.Null(regs.Read(0));
        Assert.Equal(4, regs.ReadCount);
        Assert.Equal(2, regs.WriteCount);
    }

    [Fact]
    public void Rounds_in_a_slot_never_move_backwards()
    {
        var regs = new InMemoryRegisterArray(1);
        regs.Write(0, new RegisterEntry(new double[] { 1 }, 3));
        Assert.Equal("entry", Assert.Throws<ArgumentException>(() => regs.Write(0, new RegisterEntry(new double[] { 1 }, 2))).ParamName);
        regs.Write(0, new RegisterEntry(new double[] { 5 }, 3));
    }

    [Fact]
    public void Bad_slots_sizes_and_rounds_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryRegisterArray(0));
        var regs = new InMemoryRegisterArray(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => regs.Read(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => regs.Read(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => regs.Write(2, new RegisterEntry(new double[] { 1 }, 1)));
        Assert.Throws<ArgumentNullException>(() => regs.Write(0, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RegisterEntry(new double[] { 1 }, 0));
    }
}
