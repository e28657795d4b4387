package pagopa

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"sync"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
	dmencoder "github.com/makiuchi-d/gozxing/datamatrix/encoder"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
)

// qrModulePixels is the width of one QR module in the image: the pagoPA
// notice spec asks for 3 pixels a module; the image is then scaled to the
// printed 50 mm by the PDF, so a bigger raster only costs encoding time.
const qrModulePixels = 3

// QRImage renders payload as an 8-bit grayscale PNG (QR level M, with its quiet
// zone), scale pixels a module: grayscale keeps the image a plain DeviceGray
// raster inside the PDF.
func QRImage(payload string, scale int) ([]byte, error) {
	m, err := qrWriter.Encode(payload, gozxing.BarcodeFormat_QR_CODE, 0, 0, qrHints)
	if err != nil {
		return nil, fmt.Errorf("encode QR code: %w", err)
	}
	return modulesPNG(matrixModules(m), scale)
}

// DataMatrixImage renders payload as an ECC 200 square Data Matrix (the
// symbol Poste Italiane reads on a Bollettino Postale PA), with a quiet zone
// of one module, scale pixels a module.
func DataMatrixImage(payload string, scale int) ([]byte, error) {
	hints := map[gozxing.EncodeHintType]interface{}{
		gozxing.EncodeHintType_DATA_MATRIX_SHAPE: dmencoder.SymbolShapeHint_FORCE_SQUARE,
	}
	m, err := datamatrix.NewDataMatrixWriter().Encode(payload, gozxing.BarcodeFormat_DATA_MATRIX, 0, 0, hints)
	if err != nil {
		return nil, fmt.Errorf("encode data matrix: %w", err)
	}
	return modulesPNG(withQuietZone(matrixModules(m), 1), scale)
}

var (
	qrWriter = qrcode.NewQRCodeWriter()
	// qrHints: level M, the standard quiet zone of 4 modules, version 4.
	qrHints = map[gozxing.EncodeHintType]interface{}{
		gozxing.EncodeHintType_ERROR_CORRECTION: decoder.ErrorCorrectionLevel_M,
		gozxing.EncodeHintType_MARGIN:           4,
		gozxing.EncodeHintType_QR_VERSION:       4, // the notice spec: version 4, 33×33 modules
	}
)

// matrixModules turns a bit matrix into rows of dark (true) modules.
func matrixModules(m *gozxing.BitMatrix) [][]bool {
	w, h := m.GetWidth(), m.GetHeight()
	cells := make([]bool, w*h)
	bm := make([][]bool, h)
	for y := range bm {
		bm[y] = cells[y*w : (y+1)*w]
		for x := 0; x < w; x++ {
			bm[y][x] = m.Get(x, y)
		}
	}
	return bm
}

// withQuietZone surrounds bm with n light modules on every side.
func withQuietZone(bm [][]bool, n int) [][]bool {
	w := len(bm[0]) + 2*n
	out := make([][]bool, len(bm)+2*n)
	for y := range out {
		out[y] = make([]bool, w)
		if y >= n && y < n+len(bm) {
			copy(out[y][n:], bm[y-n])
		}
	}
	return out
}

// modulesPNG draws a bitmap of dark (true) modules, scale pixels each, as an
// 8-bit grayscale PNG. The encoder reuses its compression state across
// calls (pngBuffers), which is most of what a PNG costs at this size.
func modulesPNG(bm [][]bool, scale int) ([]byte, error) {
	if scale < 1 {
		scale = 1
	}
	n := len(bm)
	if n == 0 {
		return nil, fmt.Errorf("draw modules: empty bitmap")
	}
	w := len(bm[0]) * scale
	img := image.NewGray(image.Rect(0, 0, w, n*scale))
	for y, row := range bm {
		line := img.Pix[y*scale*img.Stride : y*scale*img.Stride+w]
		for x, dark := range row {
			v := byte(0xff)
			if dark {
				v = 0
			}
			for i := 0; i < scale; i++ {
				line[x*scale+i] = v
			}
		}
		for i := 1; i < scale; i++ {
			copy(img.Pix[(y*scale+i)*img.Stride:], line)
		}
	}
	var b bytes.Buffer
	b.Grow(1024)
	if err := pngEncoder.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("encode PNG: %w", err)
	}
	return b.Bytes(), nil
}

var pngEncoder = png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &pngBuffers{}}

// pngBuffers lets concurrent renders share PNG encoder state.
type pngBuffers struct{ pool sync.Pool }

func (p *pngBuffers) Get() *png.EncoderBuffer {
	b, _ := p.pool.Get().(*png.EncoderBuffer)
	return b
}

func (p *pngBuffers) Put(b *png.EncoderBuffer) { p.pool.Put(b) }
