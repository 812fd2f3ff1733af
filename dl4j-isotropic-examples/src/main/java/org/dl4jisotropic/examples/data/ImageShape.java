package org.dl4jisotropic.examples.data;

/**
 * The shape of one image of a dataset whose examples are images stored flat, as {@code [n, channels*height*width]}
 * rows in 'c' order (channel, then row, then column), so that a convolutional network can see them again as
 * {@code [n, channels, height, width]} (DL4J's {@code InputType.convolutionalFlat}).
 *
 * @param height   rows of pixels; &gt;= 1
 * @param width    columns of pixels; &gt;= 1
 * @param channels values per pixel (1 for grey); &gt;= 1
 */
public record ImageShape(int height, int width, int channels) {

    /** Checks that every extent is positive. */
    public ImageShape {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("an image needs height, width and channels >= 1, found " + height
                    + "x" + width + "x" + channels);
        }
    }

    /** Values per image: {@code channels * height * width}. */
    public int size() {
        return channels * height * width;
    }

    @Override
    public String toString() {
        return height + "x" + width + "x" + channels;
    }
}
