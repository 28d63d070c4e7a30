# The program pty_drive's self-test drives (selftest.pty): a tiny line
# interpreter on the terminal.  It says what terminal it got, echoes lines
# back, catches SIGINT (so Ctrl-C can be seen reaching the foreground
# process group without killing it) and has a few commands that make
# awkward output.  End of input (Ctrl-D) exits 3.
trap 'echo caught SIGINT; intr=1' INT
echo "ready TERM=$TERM size=$(stty size)"
while :; do
	intr=
	if IFS= read -r line; then
		case $line in
		split)	printf 'par'; sleep 0.3; printf 'tial line\n' ;;
		ansi)	printf '\033[1;31mbold\033[0m \033]0;a title\007plain\033(B\r\n' ;;
		noeol)	printf 'no newline here' ;;
		exit\ *) exit "${line#exit }" ;;
		sigterm) kill -TERM $$ ;;
		*)	printf 'got [%s]\n' "$line" ;;
		esac
	elif [ -z "$intr" ]; then
		echo eof
		exit 3
	fi
done
