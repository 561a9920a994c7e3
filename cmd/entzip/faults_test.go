package main

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests in this file interrupt entzip, fill its disk and break its
// standard output; each time the inputs must stay as they were and no
// partial output or temporary file may be left.

// dirContents returns every file in dir, hidden ones included, by name.
func dirContents(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	files := make(map[string][]byte, len(entries))
	for _, e := range entries {
		files[e.Name()] = readFile(t, filepath.Join(dir, e.Name()))
	}
	return files
}

// noise returns n incompressible bytes.
func noise(n int, seed byte) []byte {
	b := make([]byte, n)
	rand.NewChaCha8([32]byte{seed}).Read(b)
	return b
}

// slowArchive returns an archive of 4 MiB of text that takes seconds to
// decode with cm: one small cm stream, concatenated 64 times.
func slowArchive(t *testing.T) []byte {
	t.Helper()
	one := ok(t, t.TempDir(), sample(64<<10, 20), "-m", "cm").stdout
	return bytes.Repeat(one, 64)
}

func TestSignalLeavesNothing(t *testing.T) {
	text := sample(4<<20, 21) // seconds of work for cm
	packed := slowArchive(t)
	tests := []struct {
		name  string
		sig   syscall.Signal
		files map[string][]byte // the inputs, which must stay as they are
		stdin []byte            // written to entzip, which then waits for more
		args  []string
	}{
		{"SIGINT filter", syscall.SIGINT, map[string][]byte{}, sample(100_000, 17), []string{"-o", "out.ez"}},
		{"SIGTERM compress", syscall.SIGTERM, map[string][]byte{"f": text}, nil, []string{"-m", "cm", "f"}},
		{"SIGTERM compress --rm", syscall.SIGTERM, map[string][]byte{"f": text}, nil, []string{"-m", "cm", "--rm", "f"}},
		{"SIGHUP compress --rm", syscall.SIGHUP, map[string][]byte{"f": text}, nil, []string{"-m", "cm", "--rm", "f"}},
		{"SIGTERM compress -T 2", syscall.SIGTERM, map[string][]byte{"f": text}, nil, []string{"-m", "cm", "--no-solid", "--frame-size", "64K", "-T", "2", "f"}},
		{"SIGTERM decompress", syscall.SIGTERM, map[string][]byte{"f.ez": packed}, nil, []string{"-d", "f.ez"}},
		{"SIGTERM decompress --rm", syscall.SIGTERM, map[string][]byte{"f.ez": packed}, nil, []string{"-d", "--rm", "f.ez"}},
		{"SIGINT decompress --rm", syscall.SIGINT, map[string][]byte{"f.ez": packed}, nil, []string{"-d", "--rm", "f.ez"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range tt.files {
				writeFile(t, dir, name, data)
			}
			code, stderr := signalWhileWriting(t, dir, tt.sig, tt.stdin, tt.args...)
			assert.Equal(t, 128+int(tt.sig), code, "exit status")
			assert.NotContains(t, stderr, "goroutine ")
			assert.Equal(t, tt.files, dirContents(t, dir), "inputs changed or files left behind")
		})
	}
}

// signalWhileWriting starts entzip with args in dir, writes stdin to it,
// waits until its temporary output exists and sends sig. It returns the
// exit status and what entzip printed on standard error.
func signalWhileWriting(t *testing.T, dir string, sig syscall.Signal, stdin []byte, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	w, err := cmd.StdinPipe()
	require.NoError(t, err)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	go w.Write(stdin) // the pipe stays open until entzip exits

	deadline := time.Now().Add(10 * time.Second)
	for {
		m, err := filepath.Glob(filepath.Join(dir, ".*.tmp*"))
		require.NoError(t, err)
		if len(m) > 0 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			require.FailNow(t, "no temporary file appeared", "%s", stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(sig))
	err = cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	require.True(t, ok, "entzip was not stopped by the signal: %v", err)
	return ee.ExitCode(), stderr.String()
}

// smallDisk mounts a 1 MiB tmpfs on dir/disk, unmounted when the test
// ends. It skips the test where it cannot (not root, no mount).
func smallDisk(t *testing.T, dir string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("a full disk is simulated with a tmpfs, which needs root")
	}
	disk := filepath.Join(dir, "disk")
	require.NoError(t, os.Mkdir(disk, 0o755))
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs to simulate a full disk: %v %s", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", disk).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", disk, err, out)
		}
	})
}

func TestFullDisk(t *testing.T) {
	text := sample(3<<20, 22) // 3 MiB, compresses to a few hundred KiB
	packed := ok(t, t.TempDir(), text, "-T", "2", "--frame-size", "256K").stdout
	random := noise(700_000, 23) // fits the disk once, not twice
	big := noise(2<<20, 24)      // does not fit
	tests := []struct {
		name    string
		files   map[string][]byte // on the full disk
		args    []string          // run beside the disk, with big
		outName string            // in the error message
	}{
		{"compress", map[string][]byte{"f": random}, []string{"disk/f"}, "disk/f.ez"},
		{"compress --rm", map[string][]byte{"f": random}, []string{"--rm", "disk/f"}, "disk/f.ez"},
		{"compress -T 2", map[string][]byte{"f": random}, []string{"-1", "--frame-size", "64K", "-T", "2", "--rm", "disk/f"}, "disk/f.ez"},
		{"compress -o", map[string][]byte{"f": random[:300_000]}, []string{"-o", "disk/big.ez", "--rm", "big"}, "disk/big.ez"},
		{"decompress", map[string][]byte{"f.ez": packed}, []string{"-d", "disk/f.ez"}, "disk/f"},
		{"decompress --rm", map[string][]byte{"f.ez": packed}, []string{"-d", "--rm", "disk/f.ez"}, "disk/f"},
		{"decompress -T 1", map[string][]byte{"f.ez": packed}, []string{"-d", "-T", "1", "--rm", "disk/f.ez"}, "disk/f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			smallDisk(t, dir)
			writeFile(t, dir, "big", big)
			for name, data := range tt.files {
				writeFile(t, filepath.Join(dir, "disk"), name, data)
			}
			r := entzip(t, dir, nil, tt.args...)
			assert.Equal(t, 1, r.code)
			assert.Equal(t, "entzip: "+tt.outName+": no space left on device\n", string(r.stderr))
			assert.Equal(t, tt.files, dirContents(t, filepath.Join(dir, "disk")), "inputs changed or files left behind")
			assert.Equal(t, big, readFile(t, filepath.Join(dir, "big")))
		})
	}
}

func TestStdoutFull(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no /dev/full: %v", err)
	}
	defer full.Close()
	dir := t.TempDir()
	text := sample(1<<20, 25)
	writeFile(t, dir, "f", text)
	writeFile(t, dir, "f.ez", ok(t, dir, text, "-T", "2").stdout)
	before := dirContents(t, dir)
	for _, args := range [][]string{{"-c", "f"}, {"-c", "-T", "2", "--frame-size", "64K", "f"}, {"-dc", "f.ez"}, {"-d", "-o", "-", "--rm", "f.ez"}} {
		cmd := exec.Command(binary, args...)
		cmd.Dir = dir
		cmd.Stdout = full
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		ee, ok := err.(*exec.ExitError)
		require.True(t, ok, "entzip %v: %v", args, err)
		assert.Equal(t, 1, ee.ExitCode(), "entzip %v", args)
		assert.Equal(t, "entzip: (stdout): no space left on device\n", stderr.String(), "entzip %v", args)
	}
	assert.Equal(t, before, dirContents(t, dir), "inputs changed or files left behind")
}
