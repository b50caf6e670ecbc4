#!/usr/bin/env bash
# Install what the build, the tests and the analysis need, and say what.
# Usage: .ci/deps.sh [build|r|paper|slurm]
#   build: toolchain + QEMU + GNU parallel (make experiments ENGINE=parallel);
#   r: R packages; paper: pdflatex and the LaTeX packages paper/paper.tex
#   uses, and pdftoppm to look at the pages; slurm: Slurm and munge, for
#   make test-slurm
# On Debian/Ubuntu it uses apt-get (with sudo when not root); elsewhere it
# prints exactly what to install and exits 1.
set -u
what=${1:-build}

need=()
case $what in
build)
  have_cc=no
  for p in riscv64-unknown-elf- riscv64-linux-gnu- riscv64-elf-; do
    command -v ${p}gcc >/dev/null 2>&1 && have_cc=yes
  done
  [ $have_cc = yes ] || need+=(gcc-riscv64-unknown-elf)
  command -v qemu-system-riscv64 >/dev/null 2>&1 || need+=(qemu-system-misc)
  command -v python3 >/dev/null 2>&1 || need+=(python3)
  command -v cc >/dev/null 2>&1 || need+=(gcc)
  command -v parallel >/dev/null 2>&1 || need+=(parallel)
  ;;
slurm)
  PATH=$PATH:/usr/sbin
  for t in sbatch slurmctld slurmd; do
    command -v $t >/dev/null 2>&1 || { need+=(slurm-wlm); break; }
  done
  command -v munged >/dev/null 2>&1 || need+=(munge)
  ;;
r)
  command -v Rscript >/dev/null 2>&1 || need+=(r-base-core)
  if command -v Rscript >/dev/null 2>&1; then
    for pkg in readr dplyr tidyr ggplot2 scales patchwork testthat; do
      Rscript -e "quit(status = !requireNamespace('$pkg', quietly = TRUE))" \
        >/dev/null 2>&1 || need+=(r-cran-$pkg)
    done
  else
    need+=(r-cran-readr r-cran-dplyr r-cran-tidyr r-cran-ggplot2 \
      r-cran-scales r-cran-patchwork r-cran-testthat)
  fi
  ;;
paper)
  # paper.tex: article, geometry, fontenc, lmodern, graphicx, booktabs,
  # amsmath, url. Each .sty checked here names the package that has it.
  command -v pdflatex >/dev/null 2>&1 || need+=(texlive-latex-base)
  for pair in geometry.sty:texlive-latex-recommended \
    booktabs.sty:texlive-latex-recommended url.sty:texlive-latex-recommended \
    lmodern.sty:lmodern t1lmr.fd:lmodern; do
    sty=${pair%%:*} pkg=${pair#*:}
    if ! command -v kpsewhich >/dev/null 2>&1 || \
       [ -z "$(kpsewhich $sty 2>/dev/null)" ]; then
      case " ${need[*]-} " in *" $pkg "*) ;; *) need+=($pkg) ;; esac
    fi
  done
  # The standard PostScript fonts (Times, Helvetica, Courier), for figures
  # or packages that ask for them; paper.tex itself uses Latin Modern.
  [ -z "$(kpsewhich ucr.map 2>/dev/null)" ] && \
    need+=(texlive-fonts-recommended)
  command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
  ;;
*) echo "usage: $0 [build|r|paper|slurm]" >&2; exit 2 ;;
esac

[ ${#need[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "deps: missing: ${need[*]}" >&2
  echo "deps: this is not a Debian/Ubuntu system; install the equivalents of" >&2
  echo "deps:   ${need[*]}" >&2
  echo "deps: (a riscv64 ELF gcc, qemu-system-riscv64, R with those packages)" >&2
  exit 1
fi

sudo=
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo=sudo
  else echo "deps: need root or sudo to install: ${need[*]}" >&2; exit 1; fi
fi
echo "deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2 || true
if ! $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >&2; then
  echo "deps: apt-get install failed for: ${need[*]}" >&2
  exit 1
fi
