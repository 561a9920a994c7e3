//go:build !unix

package cm

import "time"

// cpuTime is unavailable here; the table then shows 0 CPU ns/byte.
func cpuTime() time.Duration { return 0 }
