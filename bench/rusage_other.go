//go:build !unix

package bench

import "os"

// maxRSS returns 0: this system reports no peak resident set size.
func maxRSS(*os.ProcessState) int64 { return 0 }

// selfPeakRSS returns 0: this system reports no peak resident set size.
func selfPeakRSS() int64 { return 0 }
