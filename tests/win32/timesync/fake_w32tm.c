/* A stand-in for w32tm.exe under Wine (which has none): appends its command line to
 * C:\sp-w32tm-args.txt so that the test can assert exactly what the wizard ran. */
#include <windows.h>

#include <stdio.h>

int wmain(void)
{
    char line[4096];
    FILE *f = _wfopen(L"C:\\sp-w32tm-args.txt", L"ab");
    if (!f)
        return 3;
    WideCharToMultiByte(CP_UTF8, 0, GetCommandLineW(), -1, line, sizeof line, NULL, NULL);
    fprintf(f, "%s\n", line);
    fclose(f);
    printf("The command completed successfully.\n");
    return 0;
}
