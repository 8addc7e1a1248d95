namespace HlsCdn.Protocol.Tests;

public class StreamIdsTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("room/stream/1280x720-30~2500000")]
    [InlineData("with space & symbols=%+")]
    [InlineData("été/日本")]
    public void Valid_ids(string id) => Assert.True(StreamIds.IsValid(id));

    [Fact]
    public void Id_of_255_characters_is_valid_and_256_is_not()
    {
        Assert.True(StreamIds.IsValid(new string('x', 255)));
        Assert.False(StreamIds.IsValid(new string('x', 256)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a\nb")]
    [InlineData("a\0")]
    [InlineData("\t")]
    public void Invalid_ids(string? id) => Assert.False(StreamIds.IsValid(id));
}
