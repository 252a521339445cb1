; Inno Setup script: the Windows installer of Liaison Desk (联系工作台).
;
; Built by .github/workflows/windows-installer.yml on a Windows runner, after `pyinstaller build.spec`
; has made dist\liaison-desk\ (see README, "Packaging"); by hand:
;   ISCC.exe /DAppVersion=0.1.0 /DAppNumericVersion=0.1.0.0 packaging\liaison-desk.iss
;   → dist\installer\LiaisonDesk-Setup-0.1.0.exe (both numbers: python packaging\version_info.py [--numeric])
;
; What it promises the clerk:
; - installs for the current user without administrator rights (an office PC often has none),
;   or for all users when they choose so; a Start-menu entry, optionally a desktop one;
; - never touches the ledger: the database, its backups and the log live in the user's data folder,
;   %LOCALAPPDATA%\LiaisonDesk, which is not the program folder, is refused as one, and is left
;   in place on uninstall (the uninstaller removes only the files it installed and says where the
;   data stayed). An upgrade replaces the program's files and nothing else.
; Saved as UTF-8 with a byte order mark, which every Inno Setup 6 reads as Unicode.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef AppNumericVersion
  #define AppNumericVersion "0.0.0.0"
#endif
#define AppName "联系工作台"
#define DataFolder "LiaisonDesk"
#define GuiExe "LiaisonDesk.exe"
#define CliExe "liaison-desk.exe"
#define Bundle "..\dist\liaison-desk"

[Setup]
AppId={{C108536E-2413-40A5-9C2F-42E73921AD17}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Liaison Desk
VersionInfoVersion={#AppNumericVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安装程序
DefaultDirName={autopf}\LiaisonDesk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
WizardStyle=modern
SetupIconFile=..\resources\icons\liaison-desk.ico
UninstallDisplayIcon={app}\{#GuiExe}
UninstallDisplayName={#AppName}
OutputDir=..\dist\installer
OutputBaseFilename=LiaisonDesk-Setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
CloseApplications=yes

[Languages]
; Inno Setup's own Simplified Chinese texts when this Inno Setup has them; its English ones otherwise
; (the messages below are Chinese either way).
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "zh"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
Name: "zh"; MessagesFile: "compiler:Default.isl"
#endif

[CustomMessages]
DesktopIcon=在桌面上创建快捷方式
Shortcuts=快捷方式：
LaunchAfter=立即运行联系工作台
SelfTest=联系工作台 安装自检
NotInDataFolder=不能安装到数据文件夹 %1：那里存放台账与备份。请另选一个文件夹。
DataKept=程序已卸载。台账、备份和日志仍保留在：%n%1%n%n如需彻底清除，请自行删除该文件夹（先确认已另存备份）。

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; GroupDescription: "{cm:Shortcuts}"; Flags: unchecked

[InstallDelete]
; An upgrade starts from a clean program folder: files a newer build no longer has must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{app}"
Name: "{group}\{cm:SelfTest}"; Filename: "{cmd}"; Parameters: "/k """"{app}\{#CliExe}"" --selftest"""; WorkingDir: "{app}"; IconFilename: "{app}\{#GuiExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#GuiExe}"; Description: "{cm:LaunchAfter}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: the uninstaller removes only what [Files] installed, never the data folder.

[Code]
function DataDir(): String;
begin
  Result := AddBackslash(ExpandConstant('{localappdata}\{#DataFolder}'));
end;

function NextButtonClick(CurPageID: Integer): Boolean;
begin
  Result := True;
  if (CurPageID = wpSelectDir) and
     (Pos(Uppercase(DataDir()), Uppercase(AddBackslash(WizardDirValue()))) = 1) then
  begin
    MsgBox(FmtMessage(CustomMessage('NotInDataFolder'), [DataDir()]), mbError, MB_OK);
    Result := False;
  end;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DirExists(DataDir()) and not UninstallSilent() then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [DataDir()]), mbInformation, MB_OK);
end;
