package container_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/entzip/entzip/container"
)

// Small records of one kind compress far better with a model primed on a
// dictionary trained from samples of them.
func ExampleTrainDictionary() {
	record := func(i int) []byte {
		return fmt.Appendf(nil, `{"id":%d,"user":"user%03d","action":"%s","status":%d}`+"\n",
			i, i*37%1000, []string{"login", "logout", "view", "buy"}[i%4], []int{200, 404}[i%2])
	}
	var samples [][]byte
	for i := range 200 {
		samples = append(samples, record(i))
	}
	d, err := container.TrainDictionary(samples, 4096)
	if err != nil {
		log.Fatal(err)
	}
	rec := record(1234)
	plain, err := container.Compress(nil, rec, container.WithLevel(4))
	if err != nil {
		log.Fatal(err)
	}
	primed, err := container.Compress(nil, rec, container.WithLevel(4), container.WithDictionary(d))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := container.Decompress(nil, primed); err != nil {
		fmt.Println(err)
	}
	out, err := container.Decompress(nil, primed, container.WithDecoderDictionary(d))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bytes.Equal(out, rec), len(primed) < len(plain))
	// Output:
	// entzip: dictionary: the stream was compressed with dictionary 7c0af1afc0613252; give it with -D (WithDecoderDictionary)
	// true true
}
