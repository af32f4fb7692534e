/* A stand-in for wbadmin.exe in the Wine tests: lists one full backup, "backs up" with progress
 * lines, and restores a file by copying it (SP_FAKE_WBADMIN_CORRUPT=1 flips one byte of the copy;
 * SP_FAKE_WBADMIN_DELAY=ms paces the progress lines; SP_FAKE_WBADMIN_WHERE=file: it appends the path
 * it runs from there, so that a test can tell the system folder's copy from a planted one;
 * SP_FAKE_WBADMIN_LANG=de-DE: it speaks German, as a German server's wbadmin does, its bytes in
 * code page 850, with an "Ü" in the backup target's name);
 * SP_FAKE_WBADMIN_ITEMS=C:,D: the volumes `get items` lists (default C:); SP_FAKE_WBADMIN_NONE=1:
 * `get versions` lists no backup; SP_FAKE_WBADMIN_LOG=file: it appends each command line there,
 * so that a test can see `stop job` run). */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static const wchar_t *option(int argc, wchar_t **argv, const wchar_t *name)
{
    size_t n = wcslen(name);
    for (int i = 1; i < argc; i++)
        if (_wcsnicmp(argv[i], name, n) == 0)
            return argv[i] + n;
    return NULL;
}

/* German, as the console's code page 850 bytes: 0x84 is "ä", 0x9A "Ü". */
static int german(void)
{
    wchar_t lang[16];
    return GetEnvironmentVariableW(L"SP_FAKE_WBADMIN_LANG", lang, 16) && _wcsnicmp(lang, L"de", 2) == 0;
}

static void say(const char *cp850)
{
    fwrite(cp850, 1, strlen(cp850), stdout);
}

static int recover(int argc, wchar_t **argv)
{
    const wchar_t *item = option(argc, argv, L"-items:"), *target = option(argc, argv, L"-recoveryTarget:");
    const wchar_t *base;
    wchar_t dest[1024];
    if (!item || !target || !option(argc, argv, L"-version:") || !option(argc, argv, L"-quiet")) {
        say(german() ? "FEHLER - Die Syntax des Befehls ist falsch.\r\n"
                     : "ERROR - The syntax of the command is incorrect.\r\n");
        return 1;
    }
    base = wcsrchr(item, L'\\') ? wcsrchr(item, L'\\') + 1 : item;
    _snwprintf(dest, 1024, L"%ls\\%ls", target, base);
    dest[1023] = 0;
    printf("Retrieving volume information...\r\nRunning a recovery operation for 1 items.\r\n");
    if (!CopyFileW(item, dest, FALSE)) {
        printf("ERROR - The file could not be recovered (%lu).\r\n", (unsigned long)GetLastError());
        return 1;
    }
    if (GetEnvironmentVariableW(L"SP_FAKE_WBADMIN_CORRUPT", NULL, 0) > 0) {
        HANDLE h = CreateFileW(dest, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        DWORD size = GetFileSize(h, NULL), n = 0;
        unsigned char b = 0;
        if (h != INVALID_HANDLE_VALUE && size > 0) {
            SetFilePointer(h, (LONG)(size / 2), NULL, FILE_BEGIN);
            ReadFile(h, &b, 1, &n, NULL);
            b ^= 0x01;
            SetFilePointer(h, (LONG)(size / 2), NULL, FILE_BEGIN);
            WriteFile(h, &b, 1, &n, NULL);
        }
        if (h != INVALID_HANDLE_VALUE)
            CloseHandle(h);
    }
    printf("Successfully recovered %ls to %ls.\r\nThe recovery operation completed.\r\n", item, target);
    return 0;
}

static int backup(int argc, wchar_t **argv)
{
    wchar_t delay[16];
    DWORD ms = GetEnvironmentVariableW(L"SP_FAKE_WBADMIN_DELAY", delay, 16) ? (DWORD)_wtoi(delay) : 20;
    const wchar_t *target = option(argc, argv, L"-backupTarget:");
    if (!target || !option(argc, argv, L"-allCritical")) {
        printf("ERROR - The syntax of the command is incorrect.\r\n");
        return 1;
    }
    setvbuf(stdout, NULL, _IONBF, 0); /* each line reaches the pipe when it is written */
    if (german()) {
        say("wbadmin 1.0 - Sicherungsbefehlszeilen-Tool\r\n(C) Copyright 2004 Microsoft Corp.\r\n\r\n");
        say("Eine Schattenkopie der f\x81r die Sicherung angegebenen Volumes wird erstellt...\r\n");
        for (int pct = 0; pct <= 100; pct += 20) {
            char line[120];
            Sleep(ms);
            snprintf(line, sizeof line, "Eine Sicherung von Volume (C:) wird erstellt, kopiert (%d %%).\r\n", pct);
            say(line);
        }
        say("Der Sicherungsvorgang wurde erfolgreich abgeschlossen.\r\n");
        return 0;
    }
    printf("wbadmin 1.0 - Backup command-line tool\r\n(C) Copyright 2004 Microsoft Corp.\r\n\r\n");
    printf("The backup operation to %ls is starting.\r\n", target);
    printf("Creating a shadow copy of the volumes specified for backup...\r\n");
    for (int pct = 0; pct <= 100; pct += 20) {
        if (pct > 0) /* 0 % comes as the shadow copy ends; each later line after the delay */
            Sleep(ms);
        printf("Creating a backup of volume (C:), copied (%d%%).\r\n", pct);
    }
    printf("The backup operation successfully completed.\r\n");
    return 0;
}

static void say_where(void)
{
    wchar_t log[MAX_PATH], self[MAX_PATH];
    FILE *f;
    if (!GetEnvironmentVariableW(L"SP_FAKE_WBADMIN_WHERE", log, MAX_PATH) ||
        !GetModuleFileNameW(NULL, self, MAX_PATH) || !(f = _wfopen(log, L"a")))
        return;
    fwprintf(f, L"%ls\n", self);
    fclose(f);
}

/* The volumes of the one backup, as `wbadmin get items -version:...` lists them. */
static int items(int argc, wchar_t **argv)
{
    wchar_t list[64] = L"C:";
    const wchar_t *version = option(argc, argv, L"-version:");
    if (!version || wcscmp(version, L"03/15/2011-04:00") != 0) {
        printf("ERROR - The version identifier is not valid.\r\n");
        return 1;
    }
    GetEnvironmentVariableW(L"SP_FAKE_WBADMIN_ITEMS", list, 64);
    printf("wbadmin 1.0 - Backup command-line tool\r\n(C) Copyright 2004 Microsoft Corp.\r\n\r\n");
    for (wchar_t *v = list; *v; v++) {
        if (v[1] != L':')
            continue;
        printf("Volume ID = {5b1e7b7f-0000-4a2a-9b62-4b8cd8b1c1%02x}\r\nVolume '%ls', mounted at %lc:\r\n"
               "Volume size = 68.33 GB\r\nCan recover = Full volume\r\n\r\n",
               (unsigned)*v, *v == L'C' ? L"<No Volume Label>" : L"Data", *v);
    }
    printf("Application = Registry\r\nComponent = Registry (\\Registry)\r\n");
    return 0;
}

static void log_command(int argc, wchar_t **argv)
{
    wchar_t log[MAX_PATH];
    FILE *f;
    if (!GetEnvironmentVariableW(L"SP_FAKE_WBADMIN_LOG", log, MAX_PATH) || !(f = _wfopen(log, L"a")))
        return;
    for (int i = 1; i < argc; i++)
        fwprintf(f, L"%ls%ls", i > 1 ? L" " : L"", argv[i]);
    fwprintf(f, L"\n");
    fclose(f);
}

int wmain(int argc, wchar_t **argv)
{
    say_where();
    log_command(argc, argv);
    if (argc >= 3 && _wcsicmp(argv[1], L"get") == 0 && _wcsicmp(argv[2], L"items") == 0)
        return items(argc, argv);
    if (argc >= 3 && _wcsicmp(argv[1], L"stop") == 0 && _wcsicmp(argv[2], L"job") == 0) {
        printf("wbadmin 1.0 - Backup command-line tool\r\n\r\nThe operation was stopped.\r\n");
        return 0;
    }
    if (argc >= 3 && _wcsicmp(argv[1], L"get") == 0 && _wcsicmp(argv[2], L"versions") == 0 &&
        GetEnvironmentVariableW(L"SP_FAKE_WBADMIN_NONE", NULL, 0) > 0) {
        printf("wbadmin 1.0 - Backup command-line tool\r\n\r\nNo backups were found.\r\n");
        return 0;
    }
    if (argc >= 3 && _wcsicmp(argv[1], L"get") == 0 && _wcsicmp(argv[2], L"versions") == 0 && german()) {
        say("wbadmin 1.0 - Sicherungsbefehlszeilen-Tool\r\n(C) Copyright 2004 Microsoft Corp.\r\n\r\n"
            "Sicherungszeit: 14.03.2011 21:00\r\n"
            "Sicherungsziel: Festplatte mit der Bezeichnung Sicherung \x9A" "berblick(E:)\r\n"
            "Versionsbezeichner: 03/15/2011-04:00\r\n"
            "Wiederherstellbar: Volume(s), Datei(en), Anwendung(en), Bare-Metal-Recovery, Systemstatus\r\n"
            "Snapshot-ID: {0e3e2f9c-8f4b-4c7b-a0f1-8d3f6a2c2222}\r\n");
        return 0;
    }
    if (argc >= 3 && _wcsicmp(argv[1], L"get") == 0 && _wcsicmp(argv[2], L"versions") == 0) {
        printf("wbadmin 1.0 - Backup command-line tool\r\n(C) Copyright 2004 Microsoft Corp.\r\n\r\n"
               "Backup time: 3/14/2011 9:00 PM\r\nBackup target: Fixed Disk labeled Backup(E:)\r\n"
               "Version identifier: 03/15/2011-04:00\r\n"
               "Can recover: Volume(s), File(s), Application(s), Bare Metal Recovery, System State\r\n");
        return 0;
    }
    if (argc >= 3 && _wcsicmp(argv[1], L"start") == 0 && _wcsicmp(argv[2], L"recovery") == 0)
        return recover(argc, argv);
    if (argc >= 3 && _wcsicmp(argv[1], L"start") == 0 && _wcsicmp(argv[2], L"backup") == 0)
        return backup(argc, argv);
    printf("ERROR - Unknown command.\r\n");
    return 1;
}
