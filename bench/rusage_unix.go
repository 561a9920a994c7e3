//go:build unix

package bench

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
)

// maxRSS returns the peak resident set size of an exited process in bytes
// (getrusage ru_maxrss: KiB on Linux and the BSDs, bytes on Darwin), or 0
// when the system does not say. On Linux the figure is at least the
// resident size of the process that started it at that moment (exec
// records the high-water mark of the address space it replaces), so
// ServeChild starts tools from a small process and reports that floor.
func maxRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok || ru == nil {
		return 0
	}
	return rssUnits(int64(ru.Maxrss))
}

func rssUnits(n int64) int64 {
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return n
	}
	return n * 1024
}

// selfPeakRSS returns the peak resident set size of this process in
// bytes: VmHWM of /proc/self/status where there is one (the high-water
// mark of this program's own address space), else getrusage RUSAGE_SELF.
func selfPeakRSS() int64 {
	if f, err := os.Open("/proc/self/status"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
				kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				if err == nil {
					return kb * 1024
				}
			}
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return rssUnits(int64(ru.Maxrss))
}
