@echo off
rem Builds sourceprep.exe with Visual Studio 2019 or 2022 (MSBuild, wizard.sln) and the static curl
rem and cJSON of vcpkg (triplets x86-windows-static and x64-windows-static under %VCPKG_ROOT%).
rem
rem   build.bat [Debug|Release] [x86|x64] [more msbuild arguments]
rem
rem Defaults: Release x64. The exe lands in build\msvc\<x86|x64>\<Debug|Release>\sourceprep.exe.
rem Quote msbuild arguments that contain "=", e.g. for a Server 2003 build (toolset v141_xp; see
rem README.md, "Building on Windows with Visual Studio"):
rem   build.bat Release x86 "/p:PlatformToolset=v141_xp" "/p:VcpkgTriplet=x86-windows-static-xp"
rem Exits with msbuild's exit code; 2 for a bad command line, 1 when a tool is missing.
setlocal EnableExtensions DisableDelayedExpansion

set "SP_CONFIG=%~1"
set "SP_ARCH=%~2"
if not defined SP_CONFIG set "SP_CONFIG=Release"
if not defined SP_ARCH set "SP_ARCH=x64"

if /i "%SP_CONFIG%"=="Debug" (
    set "SP_CONFIG=Debug"
) else if /i "%SP_CONFIG%"=="Release" (
    set "SP_CONFIG=Release"
) else (
    goto usage
)
rem MSBuild calls 32-bit x86 "Win32".
if /i "%SP_ARCH%"=="x86" (
    set "SP_PLATFORM=Win32"
) else if /i "%SP_ARCH%"=="Win32" (
    set "SP_PLATFORM=Win32"
) else if /i "%SP_ARCH%"=="x64" (
    set "SP_PLATFORM=x64"
) else (
    goto usage
)

rem Any further arguments go to msbuild as they are.
set "SP_EXTRA="
:more_args
if "%~3"=="" goto args_done
set SP_EXTRA=%SP_EXTRA% %3
shift /3
goto more_args
:args_done

rem MSBuild of the newest Visual Studio (or Build Tools) that has it. "call" keeps the quotes
rem around a path with "(x86)" in it intact inside for /f.
set "VSWHERE=%ProgramFiles(x86)%\Microsoft Visual Studio\Installer\vswhere.exe"
if not exist "%VSWHERE%" goto no_vswhere
set "MSBUILD="
for /f "usebackq delims=" %%i in (`call "%VSWHERE%" -latest -products * -requires Microsoft.Component.MSBuild -find MSBuild\**\Bin\MSBuild.exe`) do (
    if not defined MSBUILD set "MSBUILD=%%i"
)
if not defined MSBUILD goto no_msbuild
if not exist "%MSBUILD%" goto no_msbuild

if not defined VCPKG_ROOT goto no_vcpkg_root
if not exist "%VCPKG_ROOT%\scripts\buildsystems\msbuild\vcpkg.targets" goto bad_vcpkg_root

echo build.bat: %SP_CONFIG% ^| %SP_PLATFORM% with %MSBUILD%, vcpkg in %VCPKG_ROOT%
"%MSBUILD%" "%~dp0wizard.sln" /nologo /m /v:minimal /p:Configuration=%SP_CONFIG% /p:Platform=%SP_PLATFORM% %SP_EXTRA%
exit /b %ERRORLEVEL%

:usage
echo usage: build.bat [Debug^|Release] [x86^|x64] [more msbuild arguments]
echo   Builds wizard.sln; the default is Release x64.
exit /b 2

:no_vswhere
echo build.bat: vswhere.exe was not found at "%VSWHERE%".
echo   Install Visual Studio 2019 or 2022 with the "Desktop development with C++" workload.
exit /b 1

:no_msbuild
echo build.bat: no Visual Studio with MSBuild was found by vswhere.
echo   Install Visual Studio 2019 or 2022 with the "Desktop development with C++" workload.
exit /b 1

:no_vcpkg_root
echo build.bat: VCPKG_ROOT is not set.
echo   SourcePrep links curl and cJSON statically from vcpkg. Set it up once, for example:
echo     git clone https://github.com/microsoft/vcpkg C:\vcpkg
echo     C:\vcpkg\bootstrap-vcpkg.bat
echo     C:\vcpkg\vcpkg install curl[schannel]:x86-windows-static cjson:x86-windows-static
echo     C:\vcpkg\vcpkg install curl[schannel]:x64-windows-static cjson:x64-windows-static
echo     set VCPKG_ROOT=C:\vcpkg
echo   then run build.bat again.
exit /b 1

:bad_vcpkg_root
echo build.bat: VCPKG_ROOT is "%VCPKG_ROOT%", which is not a vcpkg folder:
echo   "%VCPKG_ROOT%\scripts\buildsystems\msbuild\vcpkg.targets" is missing.
echo   Point VCPKG_ROOT at a clone of https://github.com/microsoft/vcpkg.
exit /b 1
